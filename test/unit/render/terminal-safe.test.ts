import { describe, expect, test } from "bun:test";
import { renderTable } from "../../../src/render/table.ts";
import { terminalSafe } from "../../../src/render/terminal-safe.ts";

const ESC = "\u001b";

describe("text from experiments and agents is shown without escapes", () => {
  test.each([
    ["OSC 52 clipboard write", `a${ESC}]52;c;ZWNobyBwd25lZA==\u0007b`, "ab"],
    ["OSC title with ST", `a${ESC}]0;owned${ESC}\\b`, "ab"],
    ["cursor up and erase line", `ok${ESC}[2A${ESC}[2Kfake`, "okfake"],
    ["colour", `${ESC}[31mred${ESC}[0m`, "red"],
    ["C1 CSI", "a\u009b2Jb", "ab"],
    ["C1 OSC", "a\u009d52;c;x\u0007b", "ab"],
    ["carriage return overwrite", "safe\rEVIL", "safeEVIL"],
    ["backspace and bell", "a\b\u0007b", "ab"],
    ["DEL and NUL", "a\u007f\u0000b", "ab"],
    ["unterminated OSC swallows the rest", `a${ESC}]52;c;xyz`, "a"],
  ])("%s", (_, input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });

  test("newlines become spaces on one line and stay in multi-line text; tabs and unicode stay", () => {
    expect(terminalSafe("a\nb\r\nc")).toBe("a b c");
    expect(terminalSafe("a\nb\r\nc\td ✓ é", { multiline: true })).toBe("a\nb\nc\td ✓ é");
  });

  test("table cells keep the harness's colours but lose cursor movement and OSC", () => {
    const out = renderTable(
      ["name", "status"],
      [[`x${ESC}]52;c;AAAA\u0007${ESC}[1A`, `${ESC}[32mpass${ESC}[39m`]],
    );
    expect(out).not.toContain("]52");
    expect(out).not.toContain(`${ESC}[1A`);
    expect(out).toContain(`${ESC}[32mpass${ESC}[39m`);
  });
});

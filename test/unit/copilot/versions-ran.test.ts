import { describe, expect, test } from "bun:test";
import { versionsRan } from "../../../src/copilot/versions-ran.ts";

describe("the versions trials ran", () => {
  test("one version, as preflight found: no warning", () => {
    expect(versionsRan("1.0.80", ["1.0.80", "1.0.80", null])).toEqual({
      ran: [{ version: "1.0.80", trials: 2 }],
      unknown: 1,
      mixed: false,
      mismatch: false,
      warning: null,
    });
  });

  test("every trial ran another version than preflight found (the auto-update trap)", () => {
    const r = versionsRan("1.0.102", ["1.0.80", "1.0.80"]);
    expect(r.mismatch).toBe(true);
    expect(r.warning).toBe("trials ran Copilot CLI 1.0.80 (2 trials), but preflight found 1.0.102");
  });

  test("a mix: most trials first, and the preflight version named", () => {
    const r = versionsRan("1.0.92", ["1.0.92", "1.0.102", "1.0.102"]);
    expect(r.ran).toEqual([
      { version: "1.0.102", trials: 2 },
      { version: "1.0.92", trials: 1 },
    ]);
    expect(r.warning).toBe(
      "trials ran different Copilot CLI versions: 1.0.102 (2 trials), 1.0.92 (1 trial); preflight found 1.0.92",
    );
  });
});

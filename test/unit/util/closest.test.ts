import { expect, test } from "bun:test";
import { closestMatch, editDistance } from "../../../src/util/closest.ts";

test("edit distance counts a swap of neighbours as one edit", () => {
  expect(editDistance("list", "list")).toBe(0);
  expect(editDistance("lsit", "list")).toBe(1);
  expect(editDistance("lsit", "init")).toBe(2);
  expect(editDistance("reasoning_efort", "reasoning_effort")).toBe(1);
  expect(editDistance("", "abc")).toBe(3);
  expect(editDistance("kitten", "sitting")).toBe(3);
});

test("closest match suggests plausible typos only", () => {
  expect(closestMatch("lsit", ["init", "list", "run"])).toBe("list");
  expect(closestMatch("Variantz", ["variants", "tasks"])).toBe("variants");
  expect(closestMatch("colour", ["name", "tasks", "variants"])).toBeUndefined();
});

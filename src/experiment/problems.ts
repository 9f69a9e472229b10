import type { z } from "zod";
import { closestMatch } from "../util/closest.ts";
import type { PathSegment } from "./interpolate.ts";
import { KNOWN_KEYS } from "./schema.ts";

/** One problem in an experiment file, before it is given a file position. */
export interface Problem {
  path: PathSegment[];
  message: string;
  /** Set for unknown keys: the position is that of the key, not of its parent. */
  unknownKey?: string;
}

/** How a value looks to a person reading the error: `"hgh"`, `-1`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

/** Which known-key list applies at a path such as ["variants", 0] or ["tasks", 1]. */
function knownKeysAt(path: readonly PathSegment[]): readonly string[] {
  const last = [...path].reverse().find((s) => typeof s === "string");
  switch (last) {
    case undefined:
      return KNOWN_KEYS.experiment;
    case "task":
    case "tasks":
      return KNOWN_KEYS.task;
    case "variants":
      return KNOWN_KEYS.variant;
    case "provider":
      return KNOWN_KEYS.provider;
    default:
      return [];
  }
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Turn zod issues into problems that say what was expected and what was found. */
export function problemsFromZod(issues: readonly z.core.$ZodIssue[], data: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    const found = valueAt(data, path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          const known = knownKeysAt(path);
          const suggestion = closestMatch(key, known);
          const hint = suggestion
            ? `did you mean \`${suggestion}\`?`
            : known.length
              ? `valid keys: ${known.join(", ")}`
              : "";
          problems.push({
            path: [...path, key],
            unknownKey: key,
            message: `unknown key${hint ? ` (${hint})` : ""}`,
          });
        }
        break;
      case "invalid_type": {
        const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
        problems.push({
          path,
          message:
            found === undefined
              ? `required field is missing (expected ${expected})`
              : `expected ${expected}, found ${describeValue(found)}`,
        });
        break;
      }
      case "invalid_value": {
        const values = issue.values.map(String);
        const suggestion = typeof found === "string" ? closestMatch(found, values) : undefined;
        problems.push({
          path,
          message: `expected one of ${values.join(", ")}; found ${describeValue(found)}${
            suggestion ? ` (did you mean \`${suggestion}\`?)` : ""
          }`,
        });
        break;
      }
      case "too_small":
      case "too_big": {
        const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
        const inclusive = issue.inclusive !== false;
        let expected: string;
        if (issue.origin === "array") {
          expected =
            issue.code === "too_small"
              ? `a list with at least ${bound} item${Number(bound) === 1 ? "" : "s"}`
              : `a list with at most ${bound} items`;
        } else if (issue.origin === "string") {
          expected = issue.code === "too_small" ? "a non-empty string" : `at most ${bound} characters`;
        } else if (issue.code === "too_small") {
          expected = Number(bound) === 0 && !inclusive ? "a positive number" : `a number >= ${bound}`;
        } else {
          expected = `a number <= ${bound}`;
        }
        problems.push({ path, message: `expected ${expected}, found ${describeValue(found)}` });
        break;
      }
      case "invalid_union":
        problems.push({
          path,
          message: `expected a command string or a list of command strings, found ${describeValue(found)}`,
        });
        break;
      case "custom":
        problems.push({ path, message: issue.message });
        break;
      default:
        problems.push({ path, message: `${issue.message}; found ${describeValue(found)}` });
    }
  }
  return problems;
}

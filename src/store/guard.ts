import { z } from "zod";

/**
 * A yes/no check for the hot loop of reading a run (`reindex` reads 10,000 meta.json and
 * metrics.json files): compiled from the artifact's JSON Schema, the same one published in
 * docs/schemas/, so it reads zod's public output rather than its internals. It accepts exactly
 * what `schema.safeParse` accepts for the keywords the artifact schemas use (type, const, enum,
 * pattern, minimum, maximum, properties, required, additionalProperties, items, anyOf), without
 * building a copy of the value; a schema using any other keyword is checked by zod itself.
 */

type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  [keyword: string]: unknown;
};

type Check = (value: unknown) => boolean;

const KNOWN = new Set([
  "$schema",
  "type",
  "const",
  "enum",
  "pattern",
  "minimum",
  "maximum",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "anyOf",
  "default",
  "description",
]);

class Unsupported extends Error {}

/** A JSON object: not null, not an array. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const TYPE_CHECKS: Record<string, Check> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number" && Number.isFinite(v),
  integer: (v) => Number.isSafeInteger(v),
  boolean: (v) => typeof v === "boolean",
  null: (v) => v === null,
  array: Array.isArray,
  object: isPlainObject,
};

function all(checks: Check[]): Check {
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0]!;
  return (v) => {
    for (const check of checks) if (!check(v)) return false;
    return true;
  };
}

function compile(s: JsonSchema): Check {
  for (const key of Object.keys(s)) if (!KNOWN.has(key)) throw new Unsupported(key);
  const checks: Check[] = [];
  if (s.type !== undefined) {
    const types = [s.type].flat().map((t) => {
      const check = TYPE_CHECKS[t];
      if (!check) throw new Unsupported(`type ${t}`);
      return check;
    });
    checks.push(types.length === 1 ? types[0]! : (v) => types.some((t) => t(v)));
  }
  if ("const" in s) checks.push((v) => v === s.const);
  if (s.enum) {
    const allowed = new Set(s.enum);
    checks.push((v) => allowed.has(v));
  }
  if (s.pattern !== undefined) {
    const re = new RegExp(s.pattern);
    checks.push((v) => typeof v !== "string" || re.test(v));
  }
  if (s.minimum !== undefined) checks.push((v) => typeof v !== "number" || v >= s.minimum!);
  if (s.maximum !== undefined) checks.push((v) => typeof v !== "number" || v <= s.maximum!);
  if (s.items) {
    const item = compile(s.items);
    checks.push((v) => !Array.isArray(v) || v.every(item));
  }
  if (s.anyOf) {
    const options = s.anyOf.map(compile);
    checks.push((v) => options.some((o) => o(v)));
  }
  if (s.properties || s.additionalProperties !== undefined) checks.push(compileObject(s));
  return all(checks);
}

function compileObject(s: JsonSchema): Check {
  const required = new Set(s.required ?? []);
  const fields = Object.entries(s.properties ?? {}).map(
    ([key, child]) => [key, compile(child), required.has(key)] as const,
  );
  const known = new Set(Object.keys(s.properties ?? {}));
  const extra =
    s.additionalProperties === undefined || s.additionalProperties === true
      ? undefined
      : s.additionalProperties === false
        ? () => false
        : compile(s.additionalProperties);
  if (s.propertyNames && s.propertyNames.type !== "string") throw new Unsupported("propertyNames");
  return (v) => {
    if (!isPlainObject(v)) return true; // `type: object` says whether it must be one
    for (const [key, check, must] of fields) {
      const value = v[key];
      if (value === undefined ? must : !check(value)) return false;
    }
    if (extra) {
      for (const key in v) if (!known.has(key) && !extra(v[key])) return false;
    }
    return true;
  };
}

/** `value` is accepted by `schema` (same answer as `schema.safeParse(value).success`). */
export function compileGuard<S extends z.ZodType>(schema: S): (value: unknown) => value is z.infer<S> {
  try {
    const check = compile(z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" }) as JsonSchema);
    return (value): value is z.infer<S> => check(value);
  } catch (err) {
    if (
      !(err instanceof Unsupported) &&
      !(err instanceof Error && /cannot be represented/i.test(err.message))
    )
      throw err;
    return (value): value is z.infer<S> => schema.safeParse(value).success;
  }
}

import { z } from "zod";

/**
 * A yes/no check for the hot loop of reading a run (`reindex` reads 10,000 meta.json and
 * metrics.json files): compiled from the artifact's JSON Schema, the same one published in
 * docs/schemas/, so it reads zod's public output rather than its internals. It accepts exactly
 * what `schema.safeParse` accepts for the keywords the artifact schemas use (type, const, enum,
 * pattern, minimum, maximum, properties, required, additionalProperties, items, anyOf, and `$ref`
 * to the root for a recursive schema like trajectory.json's), without building a copy of the
 * value; a schema using any other keyword is checked by zod itself.
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
  "title",
  "$ref",
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

/** All of the checks, as one function (unrolled for the usual one to three). */
function all(checks: Check[]): Check {
  const [a, b, c] = checks;
  switch (checks.length) {
    case 0:
      return () => true;
    case 1:
      return a!;
    case 2:
      return (v) => a!(v) && b!(v);
    case 3:
      return (v) => a!(v) && b!(v) && c!(v);
    default:
      return (v) => {
        for (let i = 0; i < checks.length; i++) if (!checks[i]!(v)) return false;
        return true;
      };
  }
}

function typeCheck(type: string | string[]): Check {
  const types = [type].flat();
  const nullable = types.includes("null");
  const checks = types
    .filter((t) => t !== "null")
    .map((t) => {
      const check = TYPE_CHECKS[t];
      if (!check) throw new Unsupported(`type ${t}`);
      return check;
    });
  const one = checks.length === 1 ? checks[0]! : (v: unknown) => checks.some((c) => c(v));
  if (checks.length === 0) return (v) => v === null;
  return nullable ? (v) => v === null || one(v) : one;
}

/** The root's check, for `$ref: "#"` (set once the root is compiled). */
type Root = { check?: Check };

function compile(s: JsonSchema, root: Root): Check {
  for (const key of Object.keys(s)) if (!KNOWN.has(key)) throw new Unsupported(key);
  if (s.$ref !== undefined) {
    if (s.$ref !== "#" || Object.keys(s).length !== 1) throw new Unsupported(`$ref ${String(s.$ref)}`);
    return (v) => root.check!(v);
  }
  const checks: Check[] = [];
  if (s.type !== undefined) checks.push(typeCheck(s.type));
  if ("const" in s) {
    const value = s.const;
    checks.push((v) => v === value);
  }
  if (s.enum) {
    const allowed = new Set(s.enum);
    checks.push((v) => allowed.has(v));
  }
  if (s.pattern !== undefined) {
    const re = new RegExp(s.pattern);
    checks.push((v) => typeof v !== "string" || re.test(v));
  }
  const { minimum, maximum } = s;
  // Integers are safe integers already: a maximum of 2^53 − 1 says nothing more.
  if (minimum !== undefined) checks.push((v) => typeof v !== "number" || v >= minimum);
  if (maximum !== undefined && !(s.type === "integer" && maximum >= Number.MAX_SAFE_INTEGER))
    checks.push((v) => typeof v !== "number" || v <= maximum);
  if (s.items) {
    const item = compile(s.items, root);
    checks.push((v) => {
      if (!Array.isArray(v)) return true;
      for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
      return true;
    });
  }
  if (s.anyOf) checks.push(anyOf(s.anyOf, root));
  if (s.properties || s.additionalProperties !== undefined) checks.push(compileObject(s, root));
  return all(checks);
}

/** One of the options; `X or null` (zod's nullable) without the generic loop. */
function anyOf(options: JsonSchema[], root: Root): Check {
  const nonNull = options.filter((o) => !(o.type === "null" && Object.keys(o).length === 1));
  if (nonNull.length === 1 && options.length === 2) {
    const check = compile(nonNull[0]!, root);
    return (v) => v === null || check(v);
  }
  const checks = options.map((o) => compile(o, root));
  return (v) => checks.some((c) => c(v));
}

function compileObject(s: JsonSchema, root: Root): Check {
  const required = new Set(s.required ?? []);
  const entries = Object.entries(s.properties ?? {});
  const keys = entries.map(([key]) => key);
  const checks = entries.map(([, child]) => compile(child, root));
  const musts = keys.map((key) => required.has(key));
  const known = new Set(keys);
  const extra =
    s.additionalProperties === undefined || s.additionalProperties === true
      ? undefined
      : s.additionalProperties === false
        ? () => false
        : compile(s.additionalProperties, root);
  if (s.propertyNames && s.propertyNames.type !== "string") throw new Unsupported("propertyNames");
  const n = keys.length;
  return (v) => {
    if (!isPlainObject(v)) return true; // `type: object` says whether it must be one
    for (let i = 0; i < n; i++) {
      const value = v[keys[i]!];
      if (value === undefined) {
        if (musts[i]) return false;
      } else if (!checks[i]!(value)) return false;
    }
    if (extra) {
      for (const key in v) if (!known.has(key) && !extra(v[key])) return false;
    }
    return true;
  };
}

/** `value` is accepted by `schema` (same answer as `schema.safeParse(value).success`). */
export function compileGuard<S extends z.ZodType>(
  schema: S,
  json?: Record<string, unknown>,
): (value: unknown) => value is z.infer<S> {
  try {
    const root: Root = {};
    const check = compile(
      (json ?? z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" })) as JsonSchema,
      root,
    );
    root.check = check;
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

type Read<T> = { ok: true; data: T } | { ok: false };
const readers = new WeakMap<z.ZodType, (value: unknown) => Read<unknown>>();

/**
 * The value as `schema` reads it, or not ok: the guard's answer and the value itself (no copy)
 * when the schema fills in no defaults; zod's parse (which fills them in) when it does.
 */
export function readWith<S extends z.ZodType>(schema: S, value: unknown): Read<z.infer<S>> {
  let read = readers.get(schema);
  if (!read) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
    if (JSON.stringify(json).includes('"default":')) {
      read = (v) => {
        const r = schema.safeParse(v);
        return r.success ? { ok: true, data: r.data } : { ok: false };
      };
    } else {
      const guard = compileGuard(schema, json);
      read = (v) => (guard(v) ? { ok: true, data: v } : { ok: false });
    }
    readers.set(schema, read);
  }
  return read(value) as Read<z.infer<S>>;
}

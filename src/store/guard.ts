import type { z } from "zod";

/**
 * A yes/no check compiled from a zod schema, for the hot loop of `loadRun`: it accepts exactly
 * what `schema.safeParse` accepts for the plain JSON types used by the artifact schemas (string,
 * number, boolean, enum, literal, nullable, optional, array, object, record), without building
 * a copy of the value. A schema using anything else (refinements, checks, transforms) is
 * delegated to zod itself, so the answer never differs from zod's.
 */

interface Def {
  type: string;
  checks?: unknown[];
  innerType?: Node;
  element?: Node;
  shape?: Record<string, Node>;
  entries?: Record<string, unknown>;
  values?: unknown[];
  keyType?: Node;
  valueType?: Node;
  catchall?: Node;
}
interface Node {
  _zod: { def: Def };
}

type Check = (value: unknown) => boolean;

class Unsupported extends Error {}

function compile(node: Node): Check {
  const def = node._zod.def;
  if (def.checks && def.checks.length > 0) throw new Unsupported();
  switch (def.type) {
    case "string":
      return (v) => typeof v === "string";
    case "number":
      return (v) => typeof v === "number" && Number.isFinite(v);
    case "boolean":
      return (v) => typeof v === "boolean";
    case "unknown":
      return () => true;
    case "enum": {
      const allowed = new Set(Object.values(def.entries ?? {}));
      return (v) => allowed.has(v as string);
    }
    case "literal": {
      const allowed = new Set(def.values ?? []);
      return (v) => allowed.has(v);
    }
    case "nullable": {
      const inner = compile(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case "optional": {
      const inner = compile(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case "array": {
      const element = compile(def.element!);
      return (v) => Array.isArray(v) && v.every(element);
    }
    case "record": {
      if (def.keyType?._zod.def.type !== "string") throw new Unsupported();
      const value = compile(def.valueType!);
      return (v) => isPlainObject(v) && Object.values(v).every(value);
    }
    case "object": {
      if (def.catchall && def.catchall._zod.def.type !== "unknown") throw new Unsupported();
      const fields = Object.entries(def.shape ?? {}).map(([key, child]) => [key, compile(child)] as const);
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const [key, check] of fields) if (!check(v[key])) return false;
        return true;
      };
    }
    default:
      throw new Unsupported();
  }
}

/** A JSON object: not null, not an array. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `value` is accepted by `schema` (same answer as `schema.safeParse(value).success`). */
export function compileGuard<S extends z.ZodType>(schema: S): (value: unknown) => value is z.infer<S> {
  try {
    const check = compile(schema as unknown as Node);
    return (value): value is z.infer<S> => check(value);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    return (value): value is z.infer<S> => schema.safeParse(value).success;
  }
}

import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { PathSegment } from "./interpolate.ts";

export interface Position {
  line: number;
  col: number;
}

function keyOf(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

/**
 * The source position of the YAML node at `path`; for `unknownKey`, the position of that key in
 * the mapping at `path`. Falls back to the deepest node that exists (e.g. the parent mapping of a
 * missing field).
 */
export function locate(
  doc: Document,
  lines: LineCounter,
  path: readonly PathSegment[],
  unknownKey?: string,
): Position {
  let node: unknown = doc.contents;
  let best: Node | null = (doc.contents as Node | null) ?? null;
  const walk = unknownKey !== undefined && path.at(-1) === unknownKey ? path.slice(0, -1) : path;
  for (const segment of walk) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String(keyOf(p.key)) === String(segment));
      if (!pair) break;
      best = (pair.value as Node | null) ?? (pair.key as Node);
      node = pair.value;
      if (node === null || node === undefined) {
        best = pair.key as Node;
        break;
      }
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (!item) break;
      best = item as Node;
      node = item;
    } else {
      break;
    }
  }
  if (unknownKey !== undefined && isMap(node)) {
    const pair = node.items.find((p) => String(keyOf(p.key)) === unknownKey);
    if (pair) best = pair.key as Node;
  }
  const offset = best?.range?.[0] ?? 0;
  return lines.linePos(offset);
}

/** `variants[0].provider.api_key` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/** Replace (or append) one benchmark's `## heading` section of docs/benchmarks.md. */
export function writeBenchmarkSection(heading: string, intro: string[], lines: string[]): void {
  const path = resolve(import.meta.dir, "../../docs/benchmarks.md");
  const body = [heading, "", ...intro, "", ...lines, ""].join("\n");
  const text = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const start = text.indexOf(heading);
  if (start === -1) {
    writeFileSync(path, `${text.trimEnd()}\n\n${body}`);
    return;
  }
  const next = text.indexOf("\n## ", start + heading.length);
  writeFileSync(path, `${text.slice(0, start)}${body}${next === -1 ? "" : `\n${text.slice(next + 1)}`}`);
}

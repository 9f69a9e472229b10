/**
 * A large session log for the benchmarks: the recorded sessions of ../shared/sessions (synthetic
 * ones when that folder is absent) replicated with fresh ids until the events file reaches the
 * size asked, with the matching OTel file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeSyntheticSession } from "../../src/copilot/fakes/synthetic-session.ts";

const SHARED = resolve(import.meta.dir, "../../../shared/sessions");
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const BENCH_SESSION = "b0b0b0b0-0000-4000-8000-000000000000";

interface Source {
  events: string[];
  otel: string[];
  sessionId: string;
}

function sources(dir: string): Source[] {
  const folders = existsSync(SHARED)
    ? readdirSync(SHARED)
        .map((name) => join(SHARED, name))
        .filter((d) => existsSync(join(d, "events.jsonl")))
    : [0, 1, 2].map((i) => {
        const out = join(dir, `synthetic-${i}`);
        writeSyntheticSession({
          dir: out,
          sessionId: `synthetic-${i}`,
          model: i === 1 ? "gpt-5.5" : "claude-opus-4.7",
          cwd: "/w",
          startTime: new Date("2026-01-01T00:00:00Z"),
          turns: 8,
          toolCalls: Array.from({ length: 12 }, (_, j) => ({
            name: "view",
            args: { path: `/w/${j}` },
            success: true,
          })),
        });
        return out;
      });
  return folders.map((d) => {
    const events = readFileSync(join(d, "events.jsonl"), "utf8").split("\n").filter(Boolean);
    const otelPath = join(d, "copilot-otel.jsonl");
    const otel = existsSync(otelPath) ? readFileSync(otelPath, "utf8").split("\n").filter(Boolean) : [];
    const sessionId = (JSON.parse(events[0]!).data?.sessionId as string) ?? "";
    return { events, otel, sessionId };
  });
}

/** One long (resumed) session: the same session id throughout, every other id fresh per copy. */
export async function buildLog(
  dir: string,
  targetBytes: number,
): Promise<{ eventsPath: string; otelPath: string }> {
  const eventsPath = join(dir, "events.jsonl");
  const otelPath = join(dir, "copilot-otel.jsonl");
  const events = Bun.file(eventsPath).writer({ highWaterMark: 1 << 20 });
  const otel = Bun.file(otelPath).writer({ highWaterMark: 1 << 20 });
  const all = sources(dir);
  let written = 0;
  for (let copy = 0; written < targetBytes; copy++) {
    const tail = copy.toString(16).padStart(12, "0");
    for (const source of all) {
      const fresh = (line: string) =>
        line.replace(UUID, (id) => (id === source.sessionId ? BENCH_SESSION : `${id.slice(0, 24)}${tail}`));
      for (const line of source.events) {
        const out = `${fresh(line)}\n`;
        written += out.length;
        events.write(out);
      }
      for (const line of source.otel) otel.write(`${fresh(line)}\n`);
    }
    await events.flush();
    await otel.flush();
  }
  await events.end();
  await otel.end();
  return { eventsPath, otelPath };
}

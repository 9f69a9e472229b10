import type { RunStatus } from "../store/schema.ts";

/**
 * The last line of a run, marked by how it ended: ✔ (green) only for a completed run, ⚠
 * (yellow) for a partial or interrupted one, ✖ (red) for a run in which no trial ran.
 */
const MARKS: Record<RunStatus, { mark: string; colour: number }> = {
  completed: { mark: "✔", colour: 32 },
  partial: { mark: "⚠", colour: 33 },
  interrupted: { mark: "⚠", colour: 33 },
  running: { mark: "⚠", colour: 33 },
  failed: { mark: "✖", colour: 31 },
};

export function runEndLine(status: RunStatus, text: string, color: boolean): string {
  const { mark, colour } = MARKS[status];
  return color ? `\x1b[${colour}m${mark}\x1b[39m ${text}` : `${mark} ${text}`;
}

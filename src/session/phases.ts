import type { Phase, Turn } from "../store/session-schema.ts";

/**
 * Five temporal phases of a session: the turns cut into five consecutive groups of (nearly)
 * equal size, so one can see where the work and the output went. Needs at least five turns.
 */

export const N_PHASES = 5;

export function computePhases(turns: readonly Turn[]): Phase[] {
  if (turns.length < N_PHASES) return [];
  const known = turns.filter((t) => t.output_tokens !== null);
  const totalOutput = known.reduce((sum, t) => sum + (t.output_tokens ?? 0), 0);
  const phases: Phase[] = [];
  let first = 0;
  for (let p = 0; p < N_PHASES; p++) {
    const size = Math.floor(turns.length / N_PHASES) + (p < turns.length % N_PHASES ? 1 : 0);
    const group = turns.slice(first, first + size);
    const outputs = group.map((t) => t.output_tokens).filter((n): n is number => n !== null);
    const output = outputs.length > 0 ? outputs.reduce((a, b) => a + b, 0) : null;
    const durations = group.map((t) => t.duration_s).filter((n): n is number => n !== null);
    phases.push({
      phase: p + 1,
      first_turn: first + 1,
      last_turn: first + size,
      n_turns: size,
      tool_calls: group.reduce((sum, t) => sum + t.n_tool_calls, 0),
      output_tokens: output,
      output_share: output !== null && totalOutput > 0 ? output / totalOutput : null,
      duration_s: durations.length > 0 ? durations.reduce((a, b) => a + b, 0) : null,
    });
    first += size;
  }
  return phases;
}

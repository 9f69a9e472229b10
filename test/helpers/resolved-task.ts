import type { ResolvedTask } from "../../src/experiment/load.ts";

/** A task as the loader resolves it, with defaults a test does not care about. */
export const resolvedTask = (fields: Partial<ResolvedTask>): ResolvedTask =>
  ({
    prompt: "p",
    setup: [],
    solution: [],
    timeout_s: 1,
    verify_timeout_s: 1,
    verify_repeats: 1,
    verify_env: [],
    slug: "t",
    ...fields,
  }) as ResolvedTask;

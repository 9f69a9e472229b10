/**
 * Every command's name and one-line summary, in the order of the workflow (README, Commands):
 * what `--help` lists without loading any command module (start-up stays fast, ADR 0016).
 * No imports: the entry point reads this before it knows which command runs.
 */

export interface CommandInfo {
  name: string;
  /** One line for the command list of `--help`; the command's own `--help` shows it too. */
  summary: string;
  /** String options whose value may be left out (`--resume` or `--resume RUN`). */
  optionalValues?: readonly string[];
}

export const CATALOG: readonly CommandInfo[] = [
  { name: "init", summary: "Scaffold an experiment repository: example experiment, fixture, schema, README" },
  {
    name: "check",
    summary: "Validate tasks without Copilot: the baseline must fail verify, baseline + solution must pass",
  },
  {
    name: "run",
    summary: "Run all (or the named) experiments: tasks × variants × trials",
    optionalValues: ["resume"],
  },
  { name: "show", summary: "A run: status, counts, success per variant with intervals, cost, tasks" },
  { name: "list", summary: "The experiments under the root and the stored runs" },
  { name: "inspect", summary: "One trial: meta, metrics, verify output, diff stat, last session events" },
  { name: "analyze", summary: "One Copilot session: tokens, cost, tools, LLM calls, phases, timeline" },
  {
    name: "compare",
    summary:
      "Two variants of a run, or two runs: success per task and over tasks with intervals and exact tests, cost ratios; --fail-on-regression gates CI",
  },
  {
    name: "plan",
    summary: "Trials per task needed for compare to flag a drop in success rate, and what they cost",
  },
  { name: "report", summary: "(Re)write a run's report.html: one self-contained file that works offline" },
  { name: "export", summary: "One flat row per trial (meta, every metric, prompt) as CSV or JSON Lines" },
  { name: "merge", summary: "Combine the shard result trees of one run id into one run" },
  { name: "reindex", summary: "Rebuild results/index.db from the results tree" },
  { name: "schema", summary: "The JSON Schema of the experiment format, or of a results file (--artifact)" },
  {
    name: "doctor",
    summary:
      "What a run would find here: the Copilot CLI, its version and features, git, token, results/; exit 1 when run would refuse",
  },
  {
    name: "install-copilot",
    summary: "Fetch the Copilot CLI's native executable for this machine from the npm registry",
  },
];

export function commandInfo(name: string): CommandInfo | undefined {
  return CATALOG.find((c) => c.name === name);
}

/** The summary of a command, for its `meta.description`. */
export function summaryOf(name: string): string {
  const info = commandInfo(name);
  if (!info) throw new Error(`no command ${name} in the catalog`);
  return info.summary;
}

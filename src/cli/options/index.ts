import type { ArgsDef } from "citty";

/** What a command's `--help` shows, and what its flags are checked against before it loads. */
export interface CommandSpec {
  readonly meta: { readonly name: string; readonly description: string };
  readonly args: ArgsDef;
}

/**
 * Every command's description and options, one module each, holding data only: `CMD --help`
 * and the check of a command's flags load these and not the command (cli/commands/), whose
 * imports reach the experiment format, the store and the statistics (ADR 0016). The command
 * module spreads the same object into its definition, so the help cannot drift from the parser.
 */
export const specs: Record<string, () => Promise<CommandSpec>> = {
  init: () => import("./init.ts").then((m) => m.initSpec),
  check: () => import("./check.ts").then((m) => m.checkSpec),
  run: () => import("./run.ts").then((m) => m.runSpec),
  show: () => import("./show.ts").then((m) => m.showSpec),
  list: () => import("./list.ts").then((m) => m.listSpec),
  inspect: () => import("./inspect.ts").then((m) => m.inspectSpec),
  analyze: () => import("./analyze.ts").then((m) => m.analyzeSpec),
  compare: () => import("./compare.ts").then((m) => m.compareSpec),
  plan: () => import("./plan.ts").then((m) => m.planSpec),
  report: () => import("./report.ts").then((m) => m.reportSpec),
  export: () => import("./export.ts").then((m) => m.exportSpec),
  merge: () => import("./merge.ts").then((m) => m.mergeSpec),
  reindex: () => import("./reindex.ts").then((m) => m.reindexSpec),
  schema: () => import("./schema.ts").then((m) => m.schemaSpec),
  doctor: () => import("./doctor.ts").then((m) => m.doctorSpec),
  "install-copilot": () => import("./install-copilot.ts").then((m) => m.installCopilotSpec),
};

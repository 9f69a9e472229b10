import type { ArgsDef, CommandDef } from "citty";

type Loader = () => Promise<CommandDef<ArgsDef>>;

/**
 * Every command, loaded only when it runs, so start-up stays fast (ADR 0016); its `--help`
 * loads only its spec (../options/). The order and summaries are those of ./catalog.ts.
 */
export const commands: Record<string, Loader> = {
  init: () => import("./init.ts").then((m) => m.default as CommandDef<ArgsDef>),
  check: () => import("./check.ts").then((m) => m.default as CommandDef<ArgsDef>),
  run: () => import("./run.ts").then((m) => m.default as CommandDef<ArgsDef>),
  show: () => import("./show.ts").then((m) => m.default as CommandDef<ArgsDef>),
  list: () => import("./list.ts").then((m) => m.default as CommandDef<ArgsDef>),
  inspect: () => import("./inspect.ts").then((m) => m.default as CommandDef<ArgsDef>),
  analyze: () => import("./analyze.ts").then((m) => m.default as CommandDef<ArgsDef>),
  compare: () => import("./compare.ts").then((m) => m.default as CommandDef<ArgsDef>),
  plan: () => import("./plan.ts").then((m) => m.default as CommandDef<ArgsDef>),
  report: () => import("./report.ts").then((m) => m.default as CommandDef<ArgsDef>),
  export: () => import("./export.ts").then((m) => m.default as CommandDef<ArgsDef>),
  merge: () => import("./merge.ts").then((m) => m.default as CommandDef<ArgsDef>),
  reindex: () => import("./reindex.ts").then((m) => m.default as CommandDef<ArgsDef>),
  schema: () => import("./schema.ts").then((m) => m.default as CommandDef<ArgsDef>),
  doctor: () => import("./doctor.ts").then((m) => m.default as CommandDef<ArgsDef>),
  "install-copilot": () => import("./install-copilot.ts").then((m) => m.default as CommandDef<ArgsDef>),
};

import { UserError } from "../../errors.ts";
import { KEEP_WORKSPACES, type KeepWorkspaces, type SandboxMode } from "../../experiment/schema.ts";
import { parseVariantList } from "../../experiment/select.ts";
import { parseShard, type Shard } from "../../run/plan.ts";
import { parseIntArg, parseNumberArg, parseSandbox } from "../args.ts";

/** `run`'s options, parsed and checked the same way for a real run and a dry run. */
export interface RunOptions {
  concurrency?: number;
  retries: number;
  budgetAiu?: number;
  failUnder?: number;
  variants: string[];
  /** `--sandbox`: overrides every experiment's `sandbox`. */
  sandbox?: SandboxMode;
  /** `--keep-workspaces`: overrides every experiment's `keep_workspaces`. */
  keepWorkspaces?: KeepWorkspaces;
  /** What chooseRunTarget needs: where the run goes. */
  target: { runId?: string; resume?: string; force: boolean; shard?: Shard; sharded: boolean };
}

export function parseRunOptions(args: Record<string, unknown>): RunOptions {
  if (args["with-copilot"] && !args["dry-run"]) {
    throw new UserError("--with-copilot only works with --dry-run", {
      hint: "`run --dry-run --with-copilot` drives the real Copilot CLI against the scripted provider.",
    });
  }
  const shard = parseShard(args.shard as string | undefined);
  if (shard && !args["run-id"]) {
    throw new UserError("--shard needs --run-id: the shards of one run share its id", {
      hint: "e.g. --shard 2/4 --run-id ci-$GITHUB_RUN_ID (docs/ci.md)",
    });
  }
  return {
    concurrency: parseIntArg("concurrency", args.concurrency, { min: 1 }),
    retries: parseIntArg("retries", args.retries, { min: 0 }) ?? 0,
    budgetAiu: parseNumberArg("budget-aiu", args["budget-aiu"], { min: 0 }),
    failUnder: parseNumberArg("fail-under", args["fail-under"], { min: 0, max: 1 }),
    variants: parseVariantList(args.variants),
    sandbox: parseSandbox(args.sandbox as string | undefined),
    keepWorkspaces: parseKeepWorkspaces(args["keep-workspaces"] as string | undefined),
    target: {
      runId: args["run-id"] as string | undefined,
      resume: args.resume as string | undefined,
      force: !!args.force,
      shard,
      sharded: shard !== undefined,
    },
  };
}

function parseKeepWorkspaces(value: string | undefined): KeepWorkspaces | undefined {
  if (value === undefined || value === "") return undefined;
  if ((KEEP_WORKSPACES as readonly string[]).includes(value)) return value as KeepWorkspaces;
  throw new UserError(
    `--keep-workspaces expects ${KEEP_WORKSPACES.join(", ")}, got ${JSON.stringify(value)}`,
    {
      hint: "failed keeps the workspace of every trial that did not pass verify; the diff is always kept.",
    },
  );
}

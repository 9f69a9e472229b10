import { assertNotClassicPat, type GithubToken, resolveGithubToken } from "../copilot/auth.ts";
import { type CopilotBinary, resolveCopilotBinary } from "../copilot/binary.ts";
import {
  describeMissing,
  type MissingFeature,
  missingFeatures,
  type Requirement,
  requiredFeatures,
} from "../copilot/capabilities.ts";
import { loadScript } from "../copilot/fakes/script.ts";
import { type CopilotProbe, probeCopilot } from "../copilot/probe.ts";
import { UserError } from "../errors.ts";
import type { Experiment } from "../experiment/load.ts";
import type { SandboxMode } from "../experiment/schema.ts";
import { TOKEN_VARIABLES } from "../secrets/redact.ts";
import { gitVersion } from "../workspace/git.ts";
import { planSandbox, type SandboxPlan } from "./sandbox-plan.ts";

export interface PreflightOptions {
  root: string;
  experiments: Experiment[];
  env: Record<string, string | undefined>;
  copilotFlag?: string;
  /** `--dry-run` without `--with-copilot`: the mock invoker stands in for Copilot. */
  mock: boolean;
  /** Every variant is routed to the scripted provider (`--dry-run --with-copilot`). */
  allScripted: boolean;
  /** Trials get their own COPILOT_HOME and cache (default); the probe runs the same way. */
  isolateHome?: boolean;
  /** `run --sandbox MODE`: overrides every experiment's `sandbox`. */
  sandbox?: SandboxMode;
}

export interface Preflight {
  copilot?: CopilotBinary & { version: string };
  token?: GithubToken;
  git: string;
  /** How each experiment's trials are sandboxed, by experiment slug. */
  sandboxes: Map<string, SandboxPlan>;
}

/** Everything preflight found, and every reason a run would be refused (doctor shows them all). */
export interface PreflightReport {
  git?: string;
  copilot?: CopilotBinary & { probe?: CopilotProbe };
  required: Requirement[];
  missing: MissingFeature[];
  token?: GithubToken;
  sandboxes: Map<string, SandboxPlan>;
  problems: UserError[];
}

/** A variant talks to a BYOK provider (or the scripted one) and needs no GitHub token. */
const usesProvider = (v: Experiment["variants"][number]): boolean => v.provider !== undefined;

async function attempt<T>(problems: UserError[], fn: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UserError) {
      problems.push(err);
      return undefined;
    }
    throw err;
  }
}

/**
 * Run every preflight check (README "run") and collect the problems instead of stopping at the first.
 * The CLI is probed exactly as trials run it (`--no-auto-update`, the trial environment), so the
 * version recorded is the version that runs, and its help says what it supports. The checks are
 * independent and run at once (the CLI's probe takes seconds); problems are reported in this order.
 */
export async function inspectPreflight(opts: PreflightOptions): Promise<PreflightReport> {
  const report: PreflightReport = { required: [], missing: [], problems: [], sandboxes: new Map() };
  const checks: ((problems: UserError[]) => Promise<void>)[] = [
    (problems) => checkGit(report, problems),
    (problems) => checkScripts(opts, problems),
    (problems) => checkSandboxes(opts, report, problems),
  ];
  if (!opts.mock) checks.push((problems) => checkCopilot(opts, report, problems));
  if (!opts.mock) checks.push((problems) => checkTokens(opts, report, problems));
  // Every check ends before anything is reported, also when one fails unexpectedly.
  const found = await Promise.allSettled(
    checks.map(async (check) => {
      const problems: UserError[] = [];
      await check(problems);
      return problems;
    }),
  );
  for (const result of found) {
    if (result.status === "rejected") throw result.reason;
    report.problems.push(...result.value);
  }
  return report;
}

async function checkGit(report: PreflightReport, problems: UserError[]): Promise<void> {
  report.git = await gitVersion();
  if (!report.git) {
    problems.push(
      new UserError("git was not found on PATH", {
        hint: "Install git (e.g. `apt-get install git`): every trial's workspace gets a git baseline to diff against.",
      }),
    );
  }
}

async function checkScripts(opts: PreflightOptions, problems: UserError[]): Promise<void> {
  for (const experiment of opts.experiments) {
    for (const variant of experiment.variants) {
      const script = opts.allScripted ? "dry-run" : variant.provider?.script;
      if (script)
        await attempt(problems, () => loadScript(script, opts.allScripted ? undefined : variant.script_path));
    }
  }
}

async function checkSandboxes(opts: PreflightOptions, report: PreflightReport, problems: UserError[]) {
  for (const experiment of opts.experiments) {
    const plan = await attempt(problems, () => planSandbox(experiment, opts.sandbox));
    if (plan) report.sandboxes.set(experiment.slug, plan);
  }
}

async function checkCopilot(opts: PreflightOptions, report: PreflightReport, problems: UserError[]) {
  const binary = await attempt(problems, () =>
    resolveCopilotBinary({ flag: opts.copilotFlag, env: opts.env, root: opts.root }),
  );
  if (!binary) return;
  report.copilot = binary;
  const probe = await attempt(problems, () =>
    probeCopilot(binary.path, opts.env, { isolate: opts.isolateHome ?? true }),
  );
  if (!probe) return;
  report.copilot.probe = probe;
  report.required = requiredFeatures(opts.experiments, { allScripted: opts.allScripted });
  report.missing = missingFeatures(probe, report.required);
  if (report.missing.length > 0) problems.push(capabilityError(binary, probe, report.missing));
}

async function checkTokens(opts: PreflightOptions, report: PreflightReport, problems: UserError[]) {
  const variants = opts.experiments.flatMap((e) => e.variants);
  const needsToken = !opts.allScripted && variants.some((v) => !usesProvider(v));
  if (needsToken) {
    report.token = await attempt(problems, async () => {
      try {
        return await resolveGithubToken(opts.env);
      } catch (err) {
        // Variants with a provider need no token: say how to run just those.
        const offline = [...new Set(variants.filter(usesProvider).map((v) => v.slug))];
        if (!(err instanceof UserError) || offline.length === 0) throw err;
        const need = [...new Set(variants.filter((v) => !usesProvider(v)).map((v) => v.slug))];
        throw new UserError(`${err.message} (variants ${need.join(", ")} need one)`, {
          hint: `\`run --variants ${offline.join(",")}\` runs only the variants that need none. ${err.hint ?? ""}`.trim(),
        });
      }
    });
  }

  // The CLI refuses a classic PAT even in BYOK mode. Inherited token variables are not passed
  // to the agent (see buildCopilotEnv); the resolved token and any a variant sets itself are.
  for (const variant of variants) {
    for (const name of TOKEN_VARIABLES) {
      const value = variant.env[name];
      if (value) {
        await attempt(problems, () =>
          assertNotClassicPat({ token: value, source: `variant ${variant.slug} env ${name}` }),
        );
      }
    }
  }
}

function capabilityError(binary: CopilotBinary, probe: CopilotProbe, missing: MissingFeature[]): UserError {
  const newest = missing.map((m) => m.feature.since).sort((a, b) => Bun.semver.order(b, a))[0];
  return new UserError(
    `the Copilot CLI ${probe.version} (${binary.path}, from ${binary.source}) lacks ${missing.length === 1 ? "a feature" : `${missing.length} features`} this run uses`,
    {
      details: missing.map(describeMissing),
      hint: `Install a newer CLI (\`copilot-experiments install-copilot\` fetches the tested version; ${newest} or later is needed), or pass another with --copilot. See docs/compatibility.md.`,
    },
  );
}

/**
 * Everything a run needs, checked before any workspace exists (README "run"). Each failure is a
 * UserError (exit 2) that says how to fix it; only the token's source is ever reported.
 */
export async function preflight(opts: PreflightOptions): Promise<Preflight> {
  const report = await inspectPreflight(opts);
  if (report.problems.length > 0) throw report.problems[0];
  const result: Preflight = { git: report.git!, sandboxes: report.sandboxes };
  if (report.copilot?.probe) {
    const { probe, ...binary } = report.copilot;
    result.copilot = { ...binary, version: probe.version };
  }
  if (report.token) result.token = report.token;
  return result;
}

import { existsSync } from "node:fs";
import { join } from "node:path";
import { findGithubToken } from "../copilot/auth.ts";
import { FEATURES, type FeatureId, feature, hasFeature } from "../copilot/capabilities.ts";
import { cacheRoot, defaultCopilot, listInstalled } from "../copilot/install/cache.ts";
import { unpinnedVersion } from "../copilot/probe.ts";
import { UserError } from "../errors.ts";
import { type Experiment, loadExperiments } from "../experiment/load.ts";
import { resultsWritable } from "../store/writer.ts";
import { inspectPreflight } from "./preflight.ts";
import { probeOnce } from "./sandbox-plan.ts";

/**
 * `doctor`: what a run would find on this machine — the Copilot CLI and how it was resolved,
 * the version trials run and the one a plain `copilot` would run, its features, git, the token's
 * source, whether results/ is writable, whether trials can run in bubblewrap — and every reason
 * `run` would refuse.
 */

export interface DoctorReport {
  root: string;
  experiments: string[];
  copilot?: {
    path: string;
    source: string;
    /** The version trials run (`--no-auto-update`, the trial environment). */
    version?: string;
    /** What a plain `copilot --version` runs here (the CLI's cache may hold a newer runtime). */
    unpinned_version?: string;
    features: { id: string; label: string; present: boolean | null; since: string }[];
  };
  installed: { version: string; platform: string; is_default: boolean; path: string }[];
  install_cache: string;
  git: string | null;
  token_source: string | null;
  results: { path: string; writable: boolean; error?: string };
  /** Whether trials can run in bubblewrap here, and what each experiment's trials would run in. */
  sandbox: {
    bwrap: { path: string; version: string } | null;
    reason?: string;
    hint?: string;
    experiments: Record<string, "bwrap" | "none">;
  };
  /** System-wide Copilot settings that apply to every trial (they can change results). */
  managed_settings: string[];
  refusals: { message: string; details: string[]; hint?: string }[];
  ok: boolean;
}

const MANAGED_SETTINGS = ["/etc/github-copilot/managed-settings.json", "/etc/github-copilot/policy.d"];

const asRefusal = (e: UserError) => ({ message: e.message, details: e.details, hint: e.hint });

export async function runDoctor(opts: {
  root: string;
  env: Record<string, string | undefined>;
  copilotFlag?: string;
}): Promise<DoctorReport> {
  const refusals: DoctorReport["refusals"] = [];
  let experiments: Experiment[] = [];
  try {
    experiments = loadExperiments(opts.root, [], opts.env);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    refusals.push(asRefusal(err));
  }
  const preflight = await inspectPreflight({
    root: opts.root,
    experiments,
    env: opts.env,
    copilotFlag: opts.copilotFlag,
    mock: false,
    allScripted: false,
  });
  refusals.push(...preflight.problems.map(asRefusal));

  let copilot: DoctorReport["copilot"];
  if (preflight.copilot) {
    const { path, source, probe } = preflight.copilot;
    copilot = {
      path,
      source,
      version: probe?.version,
      unpinned_version: await unpinnedVersion(path, opts.env),
      features: (Object.keys(FEATURES) as FeatureId[]).map((id) => {
        const f = feature(id);
        return { id, label: f.label, present: probe ? (hasFeature(probe, f) ?? null) : null, since: f.since };
      }),
    };
  }

  const cache = cacheRoot(opts.env);
  let defaultPath: string | undefined;
  try {
    defaultPath = defaultCopilot(opts.env)?.path;
  } catch {
    defaultPath = undefined; // a broken default is already a refusal from preflight's resolution
  }
  const installed = listInstalled(cache).map((r) => {
    const path = join(cache, "copilot", r.version, r.platform, r.executable);
    return { version: r.version, platform: r.platform, is_default: path === defaultPath, path };
  });

  const results = resultsWritable(opts.root);
  if (!results.writable) {
    refusals.push({
      message: results.error ?? `${results.path} is not writable`,
      details: [],
      hint: "Run from a folder you can write to, or pass --root.",
    });
  }

  const probe = await probeOnce();
  const sandbox: DoctorReport["sandbox"] = {
    bwrap: probe.ok ? { path: probe.path, version: probe.version } : null,
    ...(probe.ok ? {} : { reason: probe.reason, hint: probe.hint }),
    experiments: Object.fromEntries([...preflight.sandboxes].map(([slug, plan]) => [slug, plan.mode])),
  };

  return {
    root: opts.root,
    experiments: experiments.map((e) => e.slug),
    copilot,
    installed,
    install_cache: cache,
    git: preflight.git ?? null,
    token_source: preflight.token?.source ?? findGithubToken(opts.env)?.source ?? null,
    results,
    sandbox,
    managed_settings: MANAGED_SETTINGS.filter((p) => existsSync(p)),
    refusals,
    ok: refusals.length === 0,
  };
}

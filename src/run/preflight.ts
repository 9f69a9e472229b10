import { assertNotClassicPat, type GithubToken, resolveGithubToken } from "../copilot/auth.ts";
import { type CopilotBinary, readCopilotVersion, resolveCopilotBinary } from "../copilot/binary.ts";
import { loadScript } from "../copilot/fakes/script.ts";
import { UserError } from "../errors.ts";
import type { Experiment } from "../experiment/load.ts";
import { TOKEN_VARIABLES } from "../secrets/redact.ts";
import { gitVersion } from "../workspace/git.ts";

export interface PreflightOptions {
  root: string;
  experiments: Experiment[];
  env: Record<string, string | undefined>;
  copilotFlag?: string;
  /** `--dry-run` without `--with-copilot`: the mock invoker stands in for Copilot. */
  mock: boolean;
  /** Every variant is routed to the scripted provider (`--dry-run --with-copilot`). */
  allScripted: boolean;
}

export interface Preflight {
  copilot?: CopilotBinary & { version: string };
  token?: GithubToken;
  git: string;
}

/** A variant talks to a BYOK provider (or the scripted one) and needs no GitHub token. */
const usesProvider = (v: Experiment["variants"][number]) => v.provider !== undefined;

/**
 * Everything a run needs, checked before any workspace exists (README, `run`). Each failure is a
 * UserError (exit 2) that says how to fix it; only the token's source is ever reported.
 */
export async function preflight(opts: PreflightOptions): Promise<Preflight> {
  const git = await gitVersion();
  if (!git) {
    throw new UserError("git was not found on PATH", {
      hint: "Install git (e.g. `apt-get install git`): every trial's workspace gets a git baseline to diff against.",
    });
  }
  for (const experiment of opts.experiments) {
    for (const variant of experiment.variants) {
      const script = opts.allScripted ? "dry-run" : variant.provider?.script;
      if (script) loadScript(script, opts.allScripted ? undefined : variant.script_path);
    }
  }
  if (opts.mock) return { git };

  const binary = resolveCopilotBinary({ flag: opts.copilotFlag, env: opts.env, root: opts.root });
  const version = await readCopilotVersion(binary.path, opts.env as Record<string, string>);
  const result: Preflight = { git, copilot: { ...binary, version } };

  const variants = opts.experiments.flatMap((e) => e.variants);
  const needsToken = !opts.allScripted && variants.some((v) => !usesProvider(v));
  if (needsToken) result.token = await resolveGithubToken(opts.env);

  // The CLI refuses a classic PAT even in BYOK mode. Inherited token variables are not passed
  // to the agent (see buildCopilotEnv); the resolved token and any a variant sets itself are.
  for (const variant of variants) {
    for (const name of TOKEN_VARIABLES) {
      const value = variant.env[name];
      if (value) assertNotClassicPat({ token: value, source: `variant ${variant.slug} env ${name}` });
    }
  }
  return result;
}

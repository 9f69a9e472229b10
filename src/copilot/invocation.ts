import type { ResolvedVariant } from "../experiment/load.ts";
import type { Provider } from "../experiment/schema.ts";
import { isSecretName, TOKEN_VARIABLES } from "../secrets/redact.ts";
import type { GithubToken } from "./auth.ts";
import { isolatedStateEnv } from "./state-env.ts";

/** Everything about one trial that shapes the Copilot command line and environment. */
export interface InvocationContext {
  prompt: string;
  sessionId: string;
  /** Absolute paths. */
  workspace: string;
  logDir: string;
  shareFile: string;
  otelFile: string;
  /** Isolated COPILOT_HOME; undefined with `--no-isolate-home`. */
  copilotHome?: string;
  /** Isolated COPILOT_CACHE_HOME (docs/hermetic-trials.md); given together with copilotHome. */
  copilotCacheHome?: string;
  /** Injected as COPILOT_GITHUB_TOKEN for variants without a provider. */
  token?: GithubToken;
  /** The harness's own environment, inherited by the agent. */
  baseEnv: Record<string, string | undefined>;
  /** For a `provider.script` variant: the scripted provider's URL and model for this trial. */
  scripted?: { baseUrl: string; model: string };
  /** `--additional-mcp-config` JSON (issue: context variants). */
  mcpConfig?: string;
  /** Names that must be passed to --secret-env-vars when they are set in the agent's environment. */
  extraSecretNames?: readonly string[];
  /** Secret variables of MCP servers: they travel in the MCP config, not in Copilot's own env. */
  mcpSecretNames?: readonly string[];
  labels: { experiment: string; variant: string; task: string; trial: number };
}

export interface Invocation {
  args: string[];
  env: Record<string, string>;
  /** The prompt, when it is too large for an argument: Copilot reads it from stdin. */
  stdin?: string;
  /** Names passed to --secret-env-vars. */
  secretEnvVars: string[];
}

const PROVIDER_VARIABLES: Record<Exclude<keyof Provider, "script">, string> = {
  base_url: "COPILOT_PROVIDER_BASE_URL",
  type: "COPILOT_PROVIDER_TYPE",
  api_key: "COPILOT_PROVIDER_API_KEY",
  bearer_token: "COPILOT_PROVIDER_BEARER_TOKEN",
  wire_api: "COPILOT_PROVIDER_WIRE_API",
  model_id: "COPILOT_PROVIDER_MODEL_ID",
  wire_model: "COPILOT_PROVIDER_WIRE_MODEL",
  azure_api_version: "COPILOT_PROVIDER_AZURE_API_VERSION",
  max_prompt_tokens: "COPILOT_PROVIDER_MAX_PROMPT_TOKENS",
  max_output_tokens: "COPILOT_PROVIDER_MAX_OUTPUT_TOKENS",
};

/** Prompts above this many bytes are piped to Copilot's stdin rather than passed with `-p`. */
export const PROMPT_ARG_BYTES = 100_000;

export function promptOnStdin(prompt: string): boolean {
  return Buffer.byteLength(prompt) > PROMPT_ARG_BYTES;
}

/** `copilot` arguments in the order the README shows (`run`); never a shell string. */

export function buildCopilotArgs(
  variant: ResolvedVariant,
  ctx: InvocationContext,
  secretEnvVars: string[],
): string[] {
  // One argument may hold 128 KiB on Linux: a larger prompt goes to Copilot on stdin instead.
  const args = [
    ...(promptOnStdin(ctx.prompt) ? [] : ["-p", ctx.prompt]),
    "--output-format",
    "json",
    "--session-id",
    ctx.sessionId,
    "--log-dir",
    ctx.logDir,
    "-C",
    ctx.workspace,
    "--no-auto-update",
  ];
  if (variant.allow_all_tools) args.push("--allow-all-tools");
  const model =
    variant.model ?? (ctx.scripted && !variant.provider?.model_id ? ctx.scripted.model : undefined);
  if (model) args.push("--model", model);
  if (variant.reasoning_effort) args.push("--reasoning-effort", variant.reasoning_effort);
  if (variant.agent) args.push("--agent", variant.agent);
  if (variant.mode) args.push("--mode", variant.mode);
  for (const tool of variant.allow_tools) args.push(`--allow-tool=${tool}`);
  for (const tool of variant.deny_tools) args.push(`--deny-tool=${tool}`);
  if (ctx.mcpConfig) args.push("--additional-mcp-config", ctx.mcpConfig);
  if (secretEnvVars.length > 0) args.push(`--secret-env-vars=${secretEnvVars.join(",")}`);
  args.push(`--share=${ctx.shareFile}`);
  args.push(...variant.extra_args);
  return args;
}

/** `k=v` pairs of OTEL_RESOURCE_ATTRIBUTES, values percent-encoded as the OTel spec asks. */
function mergeResourceAttributes(existing: string | undefined, ours: Record<string, string>): string {
  const parts = (existing ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const keys = new Set(parts.map((p) => p.split("=")[0]!.trim()));
  for (const [key, value] of Object.entries(ours)) {
    if (!keys.has(key)) parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  return parts.join(",");
}

/**
 * The inherited environment as the agent gets it. Inherited GitHub tokens never reach the agent:
 * Copilot passes GITHUB_TOKEN on to its shells, from where an agent can write it into the
 * workspace (under results/). A variant that needs a GitHub token gets the resolved one as
 * COPILOT_GITHUB_TOKEN, which Copilot keeps to itself.
 */
export function inheritedEnv(base: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const name of TOKEN_VARIABLES) delete env[name];
  return env;
}

/** Environment of the agent: inherited + provider + variant env + token + OTel + home and cache. */
export function buildCopilotEnv(variant: ResolvedVariant, ctx: InvocationContext): Record<string, string> {
  const env = inheritedEnv(ctx.baseEnv);

  const provider = variant.provider;
  if (provider || ctx.scripted) {
    // A variant's provider is the whole provider: stale inherited settings must not mix in.
    for (const name of Object.values(PROVIDER_VARIABLES)) delete env[name];
  }
  if (provider) {
    for (const [field, name] of Object.entries(PROVIDER_VARIABLES)) {
      const value = provider[field as keyof typeof PROVIDER_VARIABLES];
      if (value !== undefined) env[name] = String(value);
    }
  }
  if (ctx.scripted) {
    env.COPILOT_PROVIDER_BASE_URL = ctx.scripted.baseUrl;
    env.COPILOT_PROVIDER_TYPE ??= "openai";
    env.COPILOT_PROVIDER_MODEL_ID ??= ctx.scripted.model;
    env.COPILOT_PROVIDER_WIRE_MODEL ??= ctx.scripted.model;
    env.COPILOT_OFFLINE ??= "true";
  }
  Object.assign(env, variant.env);
  if (ctx.token && !provider && !ctx.scripted) env.COPILOT_GITHUB_TOKEN = ctx.token.token;

  const userOtel = env.COPILOT_OTEL_FILE_EXPORTER_PATH || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!userOtel) env.COPILOT_OTEL_FILE_EXPORTER_PATH = ctx.otelFile;
  env.COPILOT_OTEL_SOURCE_NAME ||= "copilot-experiments";
  env.OTEL_SERVICE_NAME ||= "copilot-experiments";
  env.OTEL_RESOURCE_ATTRIBUTES = mergeResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES, {
    "copilot.session_id": ctx.sessionId,
    "copilot.experiment": ctx.labels.experiment,
    "copilot.variant": ctx.labels.variant,
    "copilot.task": ctx.labels.task,
    "copilot.trial": String(ctx.labels.trial),
  });
  if (ctx.copilotHome && ctx.copilotCacheHome) {
    Object.assign(env, isolatedStateEnv(env, { home: ctx.copilotHome, cache: ctx.copilotCacheHome }));
  } else if (ctx.copilotHome) {
    env.COPILOT_HOME = ctx.copilotHome;
  }
  return env;
}

/**
 * Names for --secret-env-vars: token variables, provider key variables, variant env keys that
 * carry secrets, variables `${VAR}` interpolation read, and any variable whose name looks secret.
 * Copilot strips them from its shells and MCP servers and redacts their values from output.
 */
export function secretEnvNames(
  env: Record<string, string>,
  variant: ResolvedVariant,
  extra: readonly string[] = [],
): string[] {
  const names = new Set<string>();
  for (const name of Object.keys(env)) {
    if (isSecretName(name) && env[name] !== "") names.add(name);
  }
  for (const name of [...TOKEN_VARIABLES, "COPILOT_PROVIDER_API_KEY", "COPILOT_PROVIDER_BEARER_TOKEN"]) {
    if (env[name]) names.add(name);
  }
  for (const name of [...variant.secret_env_keys, ...extra]) if (env[name] !== undefined) names.add(name);
  // Never hide the variables Copilot itself is configured with (OTel paths, home, provider URL).
  for (const name of [...names]) {
    if (
      /^(COPILOT_OTEL_|OTEL_(SERVICE_NAME|RESOURCE_ATTRIBUTES)$|COPILOT_HOME$|COPILOT_PROVIDER_(BASE_URL|MODEL_ID|WIRE_MODEL|MAX_\w+_TOKENS)$)/.test(
        name,
      )
    ) {
      names.delete(name);
    }
  }
  return [...names].sort();
}

export function buildInvocation(variant: ResolvedVariant, ctx: InvocationContext): Invocation {
  const env = buildCopilotEnv(variant, ctx);
  const secretEnvVars = [
    ...new Set([...secretEnvNames(env, variant, ctx.extraSecretNames), ...(ctx.mcpSecretNames ?? [])]),
  ].sort();
  const stdin = promptOnStdin(ctx.prompt) ? ctx.prompt : undefined;
  return { args: buildCopilotArgs(variant, ctx, secretEnvVars), env, secretEnvVars, stdin };
}

/** Values that must never appear in an artifact: every secret variable's value. */
export function secretValues(inv: Invocation): string[] {
  return inv.secretEnvVars.map((name) => inv.env[name]).filter((v): v is string => !!v);
}

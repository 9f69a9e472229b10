import { describe, expect, test } from "bun:test";
import { buildInvocation, type InvocationContext } from "../../../src/copilot/invocation.ts";
import type { ResolvedVariant } from "../../../src/experiment/load.ts";
import { VariantSchema } from "../../../src/experiment/schema.ts";

function variant(
  fields: Record<string, unknown> = {},
  extra: Partial<ResolvedVariant> = {},
): ResolvedVariant {
  return { ...VariantSchema.parse(fields), slug: "v", index: 0, secret_env_keys: [], ...extra };
}

function context(overrides: Partial<InvocationContext> = {}): InvocationContext {
  return {
    prompt: "Fix the bug",
    sessionId: "11111111-2222-4333-8444-555555555555",
    workspace: "/abs/trial/workspace",
    logDir: "/tmp/stage/logs",
    shareFile: "/tmp/stage/session.md",
    otelFile: "/tmp/stage/copilot-otel.jsonl",
    copilotHome: "/tmp/stage/copilot-home",
    baseEnv: { PATH: "/usr/bin", HOME: "/home/u" },
    labels: { experiment: "exp", variant: "v", task: "t", trial: 2 },
    ...overrides,
  };
}

describe("copilot arguments", () => {
  test("the fixed part, in the documented order, with defaults", () => {
    const { args } = buildInvocation(variant(), context());
    expect(args).toEqual([
      "-p",
      "Fix the bug",
      "--output-format",
      "json",
      "--session-id",
      "11111111-2222-4333-8444-555555555555",
      "--log-dir",
      "/tmp/stage/logs",
      "-C",
      "/abs/trial/workspace",
      "--no-auto-update",
      "--allow-all-tools",
      "--share=/tmp/stage/session.md",
    ]);
  });

  test("every variant field that is a flag", () => {
    const { args } = buildInvocation(
      variant({
        model: "gpt-5",
        reasoning_effort: "high",
        agent: "reviewer",
        mode: "autopilot",
        allow_all_tools: false,
        allow_tools: ["shell(git:*)", "write"],
        deny_tools: ["shell(git push)"],
        extra_args: ["--no-custom-instructions", "--max-autopilot-continues", "3"],
      }),
      context(),
    );
    expect(args).not.toContain("--allow-all-tools");
    const after = (flag: string) => args[args.indexOf(flag) + 1];
    expect(after("--model")).toBe("gpt-5");
    expect(after("--reasoning-effort")).toBe("high");
    expect(after("--agent")).toBe("reviewer");
    expect(after("--mode")).toBe("autopilot");
    expect(args.filter((a) => a.startsWith("--allow-tool="))).toEqual([
      "--allow-tool=shell(git:*)",
      "--allow-tool=write",
    ]);
    expect(args.filter((a) => a.startsWith("--deny-tool="))).toEqual(["--deny-tool=shell(git push)"]);
    // Extra arguments come last, verbatim.
    expect(args.slice(-3)).toEqual(["--no-custom-instructions", "--max-autopilot-continues", "3"]);
    expect(args.indexOf("--share=/tmp/stage/session.md")).toBeLessThan(
      args.indexOf("--no-custom-instructions"),
    );
  });

  test("MCP configuration travels as --additional-mcp-config", () => {
    const { args } = buildInvocation(variant(), context({ mcpConfig: '{"mcpServers":{}}' }));
    expect(args[args.indexOf("--additional-mcp-config") + 1]).toBe('{"mcpServers":{}}');
  });

  test("a scripted variant without a model gets the script's model", () => {
    const { args, env } = buildInvocation(
      variant({ provider: { script: "idle" } }),
      context({ scripted: { baseUrl: "http://127.0.0.1:1/s/v/t/v1", model: "scripted-idle" } }),
    );
    expect(args[args.indexOf("--model") + 1]).toBe("scripted-idle");
    expect(env.COPILOT_PROVIDER_BASE_URL).toBe("http://127.0.0.1:1/s/v/t/v1");
    expect(env.COPILOT_PROVIDER_MODEL_ID).toBe("scripted-idle");
    expect(env.COPILOT_OFFLINE).toBe("true");
  });
});

describe("copilot environment", () => {
  test("inherited + provider + variant env + OTel + isolated home", () => {
    const { env } = buildInvocation(
      variant({
        provider: {
          base_url: "http://localhost:11434/v1",
          type: "openai",
          api_key: "sk-local",
          wire_api: "responses",
          model_id: "qwen",
          wire_model: "qwen:7b",
          azure_api_version: "2024-10-21",
          max_prompt_tokens: 64000,
          max_output_tokens: 8192,
        },
        env: { MY_FLAG: "1" },
      }),
      context({ baseEnv: { PATH: "/usr/bin", COPILOT_PROVIDER_BEARER_TOKEN: "stale" } }),
    );
    expect(env).toMatchObject({
      PATH: "/usr/bin",
      MY_FLAG: "1",
      COPILOT_PROVIDER_BASE_URL: "http://localhost:11434/v1",
      COPILOT_PROVIDER_TYPE: "openai",
      COPILOT_PROVIDER_API_KEY: "sk-local",
      COPILOT_PROVIDER_WIRE_API: "responses",
      COPILOT_PROVIDER_MODEL_ID: "qwen",
      COPILOT_PROVIDER_WIRE_MODEL: "qwen:7b",
      COPILOT_PROVIDER_AZURE_API_VERSION: "2024-10-21",
      COPILOT_PROVIDER_MAX_PROMPT_TOKENS: "64000",
      COPILOT_PROVIDER_MAX_OUTPUT_TOKENS: "8192",
      COPILOT_HOME: "/tmp/stage/copilot-home",
      COPILOT_OTEL_FILE_EXPORTER_PATH: "/tmp/stage/copilot-otel.jsonl",
      COPILOT_OTEL_SOURCE_NAME: "copilot-experiments",
      OTEL_SERVICE_NAME: "copilot-experiments",
    });
    // A variant's provider replaces inherited provider settings entirely.
    expect(env.COPILOT_PROVIDER_BEARER_TOKEN).toBeUndefined();
    expect(env.OTEL_RESOURCE_ATTRIBUTES).toBe(
      "copilot.session_id=11111111-2222-4333-8444-555555555555,copilot.experiment=exp,copilot.variant=v,copilot.task=t,copilot.trial=2",
    );
  });

  test("the GitHub token is injected only for variants without a provider", () => {
    const token = { token: "github_pat_abc", source: "GH_TOKEN" };
    expect(buildInvocation(variant(), context({ token })).env.COPILOT_GITHUB_TOKEN).toBe("github_pat_abc");
    const byok = buildInvocation(variant({ provider: { base_url: "http://x/v1" } }), context({ token }));
    expect(byok.env.COPILOT_GITHUB_TOKEN).toBeUndefined();
  });

  test("user OTel configuration is never overridden", () => {
    const { env } = buildInvocation(
      variant({ env: { OTEL_SERVICE_NAME: "mine" } }),
      context({
        baseEnv: {
          OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
          OTEL_RESOURCE_ATTRIBUTES: "team=ml,copilot.variant=custom",
          COPILOT_OTEL_SOURCE_NAME: "src",
        },
      }),
    );
    expect(env.COPILOT_OTEL_FILE_EXPORTER_PATH).toBeUndefined();
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("http://collector:4318");
    expect(env.OTEL_SERVICE_NAME).toBe("mine");
    expect(env.COPILOT_OTEL_SOURCE_NAME).toBe("src");
    expect(env.OTEL_RESOURCE_ATTRIBUTES).toStartWith("team=ml,copilot.variant=custom,copilot.session_id=");
    expect(env.OTEL_RESOURCE_ATTRIBUTES).not.toContain("copilot.variant=v");
  });

  test("--no-isolate-home leaves COPILOT_HOME alone", () => {
    const { env } = buildInvocation(
      variant(),
      context({ copilotHome: undefined, baseEnv: { COPILOT_HOME: "/mine" } }),
    );
    expect(env.COPILOT_HOME).toBe("/mine");
  });

  test("--secret-env-vars names token, provider key, secret env keys, interpolated and secret-looking variables", () => {
    const { args, env, secretEnvVars } = buildInvocation(
      variant(
        {
          provider: { base_url: "http://x/v1", api_key: "k-123456" },
          env: { FROM_VAR: "v", DB_PASSWORD: "p", PLAIN: "1", GH_TOKEN: "github_pat_variant" },
        },
        { secret_env_keys: ["FROM_VAR", "DB_PASSWORD"] },
      ),
      context({
        baseEnv: {
          GITHUB_TOKEN: "github_pat_inherited",
          COPILOT_GITHUB_TOKEN: "github_pat_inherited2",
          AWS_SECRET_ACCESS_KEY: "aws",
          READ_BY_INTERPOLATION: "r",
          HOME: "/h",
        },
        extraSecretNames: ["READ_BY_INTERPOLATION", "UNSET_VARIABLE"],
      }),
    );
    expect(secretEnvVars).toEqual([
      "AWS_SECRET_ACCESS_KEY",
      "COPILOT_PROVIDER_API_KEY",
      "DB_PASSWORD",
      "FROM_VAR",
      "GH_TOKEN",
      "READ_BY_INTERPOLATION",
    ]);
    expect(args).toContain(`--secret-env-vars=${secretEnvVars.join(",")}`);
    // Inherited GitHub tokens are dropped (Copilot hands GITHUB_TOKEN to its shells); a variant's own stays.
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(env.COPILOT_GITHUB_TOKEN).toBeUndefined();
    expect(env.GH_TOKEN).toBe("github_pat_variant");
    // Inherited GitHub tokens are dropped (Copilot hands GITHUB_TOKEN to its shells); a variant's own stays.
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(env.COPILOT_GITHUB_TOKEN).toBeUndefined();
    expect(env.GH_TOKEN).toBe("github_pat_variant");
  });
});

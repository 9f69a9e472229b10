import { z } from "zod";

/**
 * The experiment file format (README, "Experiment format"): the single definition. Types come from `z.infer`, the
 * JSON Schema printed by `schema` comes from `z.toJSONSchema` of the same objects.
 */

export const REASONING_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;
export const MODES = ["interactive", "plan", "autopilot"] as const;
export const PROVIDER_TYPES = ["openai", "azure", "anthropic"] as const;
export const WIRE_APIS = ["completions", "responses"] as const;

const nonEmpty = z.string().min(1);

/** Limits that keep a run inside what the machine can hold (README, experiment format). */
export const LIMITS = {
  /** A timer holds at most 2^31 − 1 ms; longer timeouts would fire at once. */
  timeoutS: Math.floor((2 ** 31 - 1) / 1000),
  trialsPerVariant: 10_000,
  /** variants × tasks × trials of one experiment. */
  cells: 100_000,
  /** A prompt larger than this could not be an argument; it goes to Copilot on stdin. */
  promptBytes: 1024 * 1024,
} as const;

const seconds = (what: string, fallback: number) =>
  z
    .number()
    .positive()
    .refine((v) => v <= LIMITS.timeoutS, {
      message: `${what} is at most ${LIMITS.timeoutS} s (24.8 days): a longer wait does not fit a timer`,
      abort: true,
    })
    .default(fallback);
const commandList = z
  .union([nonEmpty, z.array(nonEmpty)])
  .transform((v) => (typeof v === "string" ? [v] : v))
  .describe("One shell command or a list of them, run in order in the workspace.");

export const ProviderSchema = z
  .strictObject({
    base_url: nonEmpty.optional().describe("OpenAI-compatible endpoint -> COPILOT_PROVIDER_BASE_URL"),
    script: nonEmpty
      .optional()
      .describe(
        "Use the built-in scripted model provider with this script (a built-in name or a YAML/JSON file relative to the root) instead of base_url.",
      ),
    type: z.enum(PROVIDER_TYPES).optional(),
    api_key: nonEmpty.optional().describe("Secret: never written to results. Use ${VAR}."),
    bearer_token: nonEmpty.optional().describe("Secret: never written to results. Use ${VAR}."),
    wire_api: z.enum(WIRE_APIS).optional(),
    model_id: nonEmpty.optional(),
    wire_model: nonEmpty.optional(),
    azure_api_version: nonEmpty.optional(),
    max_prompt_tokens: z.number().int().positive().optional(),
    max_output_tokens: z.number().int().positive().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.base_url === undefined && p.script === undefined) {
      ctx.addIssue({ code: "custom", message: "a provider needs `base_url` or `script`", path: [] });
    }
    if (p.base_url !== undefined && p.script !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: "give either `base_url` or `script`, not both",
        path: ["script"],
      });
    }
  });

export const McpServerSchema = z
  .looseObject({
    type: z.enum(["stdio", "local", "http", "sse"]).optional(),
    command: nonEmpty.optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    url: nonEmpty.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    tools: z.array(z.string()).optional(),
    cwd: z.string().optional(),
  })
  .describe("One MCP server, in the Copilot CLI's mcp-config format.");

export const VariantSchema = z.strictObject({
  name: nonEmpty.optional().describe("Slug -> variants/<slug>/ (unnamed: variant-001, …)"),
  model: nonEmpty.optional(),
  reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
  agent: nonEmpty.optional().describe("A custom agent name (--agent)"),
  mode: z.enum(MODES).optional(),
  allow_all_tools: z.boolean().default(true),
  allow_tools: z.array(nonEmpty).default([]),
  deny_tools: z.array(nonEmpty).default([]),
  provider: ProviderSchema.optional(),
  env: z.record(z.string(), z.string()).default({}),
  extra_args: z.array(z.string()).default([]),
  overlay: nonEmpty
    .optional()
    .describe("Folder (relative to the root) copied over the workspace before the baseline commit"),
  instructions: nonEmpty
    .optional()
    .describe("Text written to .github/copilot-instructions.md before the baseline"),
  copilot_home: nonEmpty.optional().describe("Folder copied into the trial's isolated COPILOT_HOME"),
  mcp_servers: z.record(z.string(), McpServerSchema).optional(),
  trials: z
    .number()
    .int()
    .positive()
    .refine((v) => v <= LIMITS.trialsPerVariant, {
      message: `at most ${LIMITS.trialsPerVariant} trials per variant; split a bigger study into several experiments or runs`,
      abort: true,
    })
    .default(1),
});

export const TaskSchema = z
  .strictObject({
    name: nonEmpty.optional().describe("Slug -> tasks/<slug>/ (unnamed: task-001, …)"),
    prompt: nonEmpty.refine((p) => Buffer.byteLength(p) <= LIMITS.promptBytes, {
      message: `a prompt is at most ${LIMITS.promptBytes / 1024 / 1024} MB; put long material in the fixture and point the prompt at it`,
      abort: true,
    }),
    fixture: nonEmpty.optional().describe("Folder relative to the root, copied fresh for every trial"),
    repo: nonEmpty.optional().describe("A git URL or path, cloned for every trial"),
    ref: nonEmpty.optional().describe("Commit, branch or tag checked out after cloning `repo`"),
    setup: commandList.default([]),
    verify: nonEmpty.optional().describe("Exit code 0 = success; omitted = not graded"),
    solution: commandList.default([]).describe("A known good fix, used only by `check`"),
    timeout_s: seconds("timeout_s", 1800),
    verify_timeout_s: seconds("verify_timeout_s", 600),
    verify_repeats: z.number().int().positive().default(1),
    verify_env: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a variable name"))
      .default([])
      .describe(
        "Names of secret variables passed to setup, verify and solution commands (hidden from them by default)",
      ),
  })
  .superRefine((t, ctx) => {
    if (t.fixture !== undefined && t.repo !== undefined) {
      ctx.addIssue({ code: "custom", message: "give either `fixture` or `repo`, not both", path: ["repo"] });
    }
    if (t.ref !== undefined && t.repo === undefined) {
      ctx.addIssue({ code: "custom", message: "`ref` needs `repo`", path: ["ref"] });
    }
  });

/** Which trials keep their `workspace/` once verified (docs/adr/0017-shared-snapshots-and-workspace-retention.md). */
export const KEEP_WORKSPACES = ["all", "failed", "none"] as const;
export const KeepWorkspacesSchema = z.enum(KEEP_WORKSPACES);
export type KeepWorkspaces = z.infer<typeof KeepWorkspacesSchema>;
export const DEFAULT_KEEP_WORKSPACES: KeepWorkspaces = "failed";

/** `task` xor `tasks` is checked by the loader, so the message appears with every other problem. */
/** Where trials run: bubblewrap when it works here (`auto`), always (`bwrap`), or never (`none`). */
export const SANDBOX_MODES = ["auto", "bwrap", "none"] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

export const ExperimentSchema = z.strictObject({
  name: nonEmpty.describe("Slug -> results/<slug>/"),
  description: z.string().optional(),
  concurrency: z.number().int().positive().optional().describe("Default for `run --concurrency`"),
  sandbox: z
    .enum(SANDBOX_MODES)
    .default("auto")
    .describe(
      "Run each trial in bubblewrap (host read-only, the workspace writable, own /tmp and PID namespace): auto = when it works here",
    ),
  sandbox_writable: z
    .array(nonEmpty)
    .default([])
    .describe(
      "More paths the sandboxed agent may write (absolute, ~/…, or relative to the root), e.g. a package cache",
    ),
  keep_workspaces: KeepWorkspacesSchema.optional().describe(
    "Which trials keep their workspace/ after verify: all, failed (default: every trial that did not pass verify) or none; the diff and every other artifact are always kept. Default for `run --keep-workspaces`",
  ),
  task: TaskSchema.optional().describe("One task; or use `tasks`"),
  tasks: z.array(TaskSchema).min(1).optional().describe("A list of tasks; or use `task`"),
  variants: z.array(VariantSchema).min(1),
});

export type ExperimentInput = z.input<typeof ExperimentSchema>;
export type ExperimentFile = z.infer<typeof ExperimentSchema>;
export type Task = z.infer<typeof TaskSchema>;
export type Variant = z.infer<typeof VariantSchema>;
export type Provider = z.infer<typeof ProviderSchema>;
export type McpServer = z.infer<typeof McpServerSchema>;

/** Key names valid at each level, for "did you mean" hints on unknown keys. */
export const KNOWN_KEYS = {
  experiment: Object.keys(ExperimentSchema.shape),
  task: Object.keys(TaskSchema.shape),
  variant: Object.keys(VariantSchema.shape),
  provider: Object.keys(ProviderSchema.shape),
} as const;

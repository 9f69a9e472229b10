import { parse } from "yaml";
import { z } from "zod";
import { UserError } from "../../errors.ts";
import { readUtf8File } from "../../util/text-file.ts";

/**
 * Scripts for the built-in scripted model provider: each step answers one model request with
 * tool calls or a final message, plus the token usage to report. Deterministic by design.
 */

const UsageSchema = z.strictObject({
  /** Prompt tokens, including cached ones (as OpenAI reports them). */
  input: z.number().int().nonnegative().optional(),
  output: z.number().int().nonnegative().optional(),
  cached: z.number().int().nonnegative().optional(),
  reasoning: z.number().int().nonnegative().optional(),
});

const ToolCallSchema = z.strictObject({
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
});

export const StepSchema = z.strictObject({
  /** One tool call… */
  tool: z.string().min(1).optional(),
  args: z.record(z.string(), z.unknown()).optional(),
  /** …or several in parallel… */
  tools: z.array(ToolCallSchema).optional(),
  /** …or the final answer (may accompany tool calls as preamble text). */
  message: z.string().optional(),
  /** Answer this request with an HTTP error instead (tests of failure handling). */
  error: z.strictObject({ status: z.number().int(), message: z.string() }).optional(),
  usage: UsageSchema.optional(),
  /** Wait before answering (tests of timeouts and concurrency). */
  delay_ms: z.number().int().nonnegative().optional(),
});

export const ScriptSchema = z.strictObject({
  model: z.string().min(1).optional(),
  /** Steps used for any task without its own entry in `tasks`. */
  steps: z.array(StepSchema).default([]),
  /** Steps per task slug. */
  tasks: z.record(z.string(), z.array(StepSchema)).default({}),
  /** Answer once the steps run out. */
  final_message: z.string().default("Done."),
});

export type Step = z.infer<typeof StepSchema>;
export type Script = z.infer<typeof ScriptSchema>;

export const BUILTIN_SCRIPTS: Record<string, Script> = {
  /** Looks, changes nothing, answers: a baseline that should fail every graded task. */
  idle: {
    model: "scripted-idle",
    steps: [
      { message: "I looked at the task and decided to make no changes.", usage: { input: 1500, output: 16 } },
    ],
    tasks: {},
    final_message: "Done.",
  },
  /** Exercises the pipeline with a real tool call and a workspace change (`run --dry-run --with-copilot`). */
  "dry-run": {
    model: "scripted-dry-run",
    steps: [
      {
        tool: "bash",
        args: { command: "ls -a", description: "List the workspace" },
        usage: { input: 1500, output: 20 },
      },
      {
        tool: "create",
        args: {
          path: "COPILOT_EXPERIMENTS_DRY_RUN.md",
          file_text: "This file was written by the scripted model during a dry run.\n",
        },
        usage: { input: 1700, output: 40, cached: 1408 },
      },
      {
        message: "Dry run: listed the workspace and wrote one file.",
        usage: { input: 1800, output: 14, cached: 1664 },
      },
    ],
    tasks: {},
    final_message: "Done.",
  },
};

export function isBuiltinScript(name: string): boolean {
  return Object.hasOwn(BUILTIN_SCRIPTS, name);
}

/** A built-in script by name, or a YAML/JSON script file. */
export function loadScript(nameOrPath: string, path?: string): Script {
  if (!path) {
    const builtin = BUILTIN_SCRIPTS[nameOrPath];
    if (!builtin) {
      throw new UserError(`unknown built-in script ${JSON.stringify(nameOrPath)}`, {
        hint: `Built-in scripts: ${Object.keys(BUILTIN_SCRIPTS).join(", ")}; or give a script file relative to the root.`,
      });
    }
    return builtin;
  }
  let raw: unknown;
  try {
    raw = parse(readUtf8File(path, nameOrPath), { maxAliasCount: 100 });
  } catch (err) {
    throw new UserError(`cannot read script ${nameOrPath}: ${(err as Error).message.split("\n")[0]}`);
  }
  const parsed = ScriptSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UserError(`invalid script ${nameOrPath}`, {
      details: parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`),
      hint: "A script has `model`, `steps` (a list) and/or `tasks` ({task-slug: steps}).",
    });
  }
  for (const [i, step] of [...parsed.data.steps, ...Object.values(parsed.data.tasks).flat()].entries()) {
    const kinds = [step.tool, step.tools, step.error].filter((x) => x !== undefined).length;
    if (kinds > 1 || (kinds === 0 && step.message === undefined)) {
      throw new UserError(
        `invalid script ${nameOrPath}: step ${i + 1} needs exactly one of tool, tools, message or error`,
      );
    }
  }
  return parsed.data;
}

export function stepsFor(script: Script, task: string): Step[] {
  return script.tasks[task] ?? script.steps;
}

import { join } from "node:path";
import { loadScript, type Script } from "../copilot/fakes/script.ts";
import { type ScriptedProvider, startScriptedProvider } from "../copilot/fakes/scripted-provider.ts";
import type { ResolvedTask, ResolvedVariant } from "../experiment/load.ts";
import { writeJsonAtomic } from "../store/atomic.ts";
import { ARTIFACTS, FORMAT_VERSION, taskDir, variantDir } from "../store/layout.ts";
import type { ExecuteOptions } from "./execute.ts";
import type { RunContext } from "./trial/run-trial.ts";
import { variantContext } from "./variant-context.ts";

/** What a run sets up before its first trial: the scripted provider and the definition files. */

export function startProvider(opts: ExecuteOptions): {
  provider?: ScriptedProvider;
  scriptedFor?: RunContext["scriptedFor"];
} {
  const scripts = new Map<string, Script>();
  const keyOf = new Map<string, string>();
  for (const variant of opts.experiment.variants) {
    const name = opts.scriptOverride ?? variant.provider?.script;
    if (!name) continue;
    const script = loadScript(name, opts.scriptOverride ? undefined : variant.script_path);
    scripts.set(variant.slug, script);
    keyOf.set(variant.slug, name);
  }
  if (scripts.size === 0) return {};
  // Debugging aid (and what the context-variant tests read): every model request as JSON lines.
  const provider = startScriptedProvider(scripts, { logFile: opts.baseEnv.COPILOT_EXPERIMENTS_SCRIPTED_LOG });
  const scriptedFor = (variant: ResolvedVariant, task: ResolvedTask) => {
    const script = scripts.get(variant.slug);
    if (!script) return undefined;
    const name = keyOf
      .get(variant.slug)!
      .replace(/^.*\//, "")
      .replace(/\.(ya?ml|json)$/, "");
    return { baseUrl: provider.baseUrl(variant.slug, task.slug), model: script.model ?? `scripted-${name}` };
  };
  return { provider, scriptedFor };
}

/** variant.json and task.json: what each variant and task was, secrets masked. */
export function writeDefinitions(opts: ExecuteOptions): void {
  const { experiment, runDir } = opts;
  const redactedVariants = experiment.redacted.variants;
  experiment.variants.forEach((variant, i) => {
    writeJsonAtomic(join(variantDir(runDir, variant.slug), ARTIFACTS.variant), {
      format_version: FORMAT_VERSION,
      slug: variant.slug,
      name: variant.name ?? variant.slug,
      definition: redactedVariants[i],
      context: variantContext(variant),
    });
    for (const task of experiment.tasks) {
      const { fixture_path: _abs, ...definition } = task;
      writeJsonAtomic(join(taskDir(runDir, variant.slug, task.slug), ARTIFACTS.task), {
        format_version: FORMAT_VERSION,
        slug: task.slug,
        name: task.name ?? task.slug,
        definition,
      });
    }
  });
}

import { loadScript, type Script } from "../copilot/fakes/script.ts";
import { type ScriptedProvider, startScriptedProvider } from "../copilot/fakes/scripted-provider.ts";
import type { Experiment, ResolvedTask, ResolvedVariant } from "../experiment/load.ts";
import { FORMAT_VERSION } from "../store/schema.ts";
import type { RunWriter } from "../store/writer.ts";
import type { RunContext } from "./context.ts";
import { variantContext } from "./variant-context.ts";

/** What a run sets up before its first trial: the scripted provider and the definition files. */

export function startProvider(
  experiment: Experiment,
  opts: { scriptOverride?: string; scriptedLog?: string },
): {
  provider?: ScriptedProvider;
  scriptedFor?: RunContext["scriptedFor"];
} {
  const scripts = new Map<string, Script>();
  const keyOf = new Map<string, string>();
  for (const variant of experiment.variants) {
    const name = opts.scriptOverride ?? variant.provider?.script;
    if (!name) continue;
    const script = loadScript(name, opts.scriptOverride ? undefined : variant.script_path);
    scripts.set(variant.slug, script);
    keyOf.set(variant.slug, name);
  }
  if (scripts.size === 0) return {};
  // Debugging aid (and what the context-variant tests read): every model request as JSON lines.
  const provider = startScriptedProvider(scripts, { logFile: opts.scriptedLog });
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
export function writeDefinitions(writer: RunWriter, experiment: Experiment): void {
  const redactedVariants = experiment.redacted.variants;
  experiment.variants.forEach((variant, i) => {
    writer.writeVariant({
      format_version: FORMAT_VERSION,
      slug: variant.slug,
      name: variant.name ?? variant.slug,
      definition: (redactedVariants[i] ?? {}) as Record<string, unknown>,
      context: variantContext(variant),
    });
    for (const task of experiment.tasks) {
      const { fixture_path: _abs, ...definition } = task;
      writer.writeTask(variant.slug, {
        format_version: FORMAT_VERSION,
        slug: task.slug,
        name: task.name ?? task.slug,
        definition,
      });
    }
  });
}

import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { defineCommand } from "citty";
import { UserError } from "../../errors.ts";
import { renderAnalysis } from "../../render/analysis.ts";
import { analyzeSession } from "../../session/analysis.ts";
import { artifactPath, hasArtifact } from "../../store/artifacts.ts";
import { resolveTrial } from "../../store/finder.ts";
import { ARTIFACTS } from "../../store/layout.ts";
import { colorFor } from "../../util/stdio.ts";
import { parseIntArg } from "../args.ts";
import { analyzeSpec } from "../options/analyze.ts";
import { printRedactedJson, printView } from "../print.ts";

function requireFile(path: string, what: string, hint: string): string {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new UserError(`${what} not found: ${path}`, { hint });
  return path;
}

/** Which files to read: --file (+ --otel-file or the sibling OTel file), else a trial of a stored run. */
function locate(args: Record<string, unknown>): { eventsPath: string; otelPath?: string } {
  if (typeof args.file === "string" && args.file !== "") {
    const eventsPath = requireFile(
      resolve(args.file),
      "session log",
      "Give the path of a Copilot session log (events.jsonl), or a run with RUN / --last.",
    );
    const explicit = typeof args["otel-file"] === "string" ? resolve(args["otel-file"]) : undefined;
    if (explicit) {
      const hint =
        "Leave out --otel-file to use copilot-otel.jsonl next to the session log, if there is one.";
      return { eventsPath, otelPath: requireFile(explicit, "OTel file", hint) };
    }
    const sibling = join(dirname(eventsPath), ARTIFACTS.otel);
    return { eventsPath, otelPath: existsSync(sibling) ? sibling : undefined };
  }
  if (args.run === undefined && !args.last) {
    throw new UserError("analyze needs a run (RUN or --last) or a session log (--file)", {
      hint: "e.g. `copilot-experiments analyze --last` or `copilot-experiments analyze --file events.jsonl`",
    });
  }
  const { dir } = resolveTrial(String(args.root), {
    run: args.run as string | undefined,
    last: args.last as boolean,
    variant: args.variant as string | undefined,
    task: args.task as string | undefined,
    trial: args.trial as string | undefined,
  });
  const eventsPath = artifactPath(dir, ARTIFACTS.events);
  if (!hasArtifact(dir, ARTIFACTS.events)) {
    throw new UserError(`this trial has no session log: ${eventsPath}`, {
      hint: "The trial may have failed before Copilot started; see its meta.json and stdout.txt.",
    });
  }
  const otelPath = artifactPath(dir, ARTIFACTS.otel);
  return { eventsPath, otelPath: hasArtifact(dir, ARTIFACTS.otel) ? otelPath : undefined };
}

export default defineCommand({
  meta: analyzeSpec.meta,
  args: analyzeSpec.args,
  async run({ args }) {
    const maxTurns = parseIntArg("max-turns", args["max-turns"], { min: 1 });
    const analysis = await analyzeSession(locate(args));
    if (args.json) {
      printRedactedJson(analysis);
      return;
    }
    const color = colorFor(1);
    printView(renderAnalysis(analysis, { color, maxTurns }));
  },
});

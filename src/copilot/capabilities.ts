import type { Experiment, ResolvedVariant } from "../experiment/load.ts";
import type { CopilotProbe } from "./probe.ts";

/**
 * What a Copilot CLI must support for an experiment, checked before any workspace exists. The
 * CLI's own `--help` and `help environment` decide; the version table below names the first
 * version with each feature (docs/compatibility.md explains where each figure comes from) and
 * decides only when the help cannot be read.
 */

export interface Feature {
  id: string;
  label: string;
  /** How the CLI documents it: a flag in `--help`, or a variable in `help environment`. */
  probe: { flag: string } | { env: string };
  /** First version known to have it. */
  since: string;
  /** `changelog`: the CLI's changelog records it; `probed`: the oldest published platform package whose help documents it (scripts/compat.ts --probe). */
  evidence: "changelog" | "probed";
}

export const FEATURES = {
  outputJson: {
    label: "JSON output (--output-format)",
    probe: { flag: "--output-format" },
    since: "0.0.422",
    evidence: "changelog",
  },
  sessionId: {
    label: "a chosen session id (--session-id)",
    probe: { flag: "--session-id" },
    since: "1.0.51",
    evidence: "changelog",
  },
  share: {
    label: "the session transcript (--share)",
    probe: { flag: "--share" },
    since: "0.0.375",
    evidence: "changelog",
  },
  logDir: { label: "--log-dir", probe: { flag: "--log-dir" }, since: "0.0.371", evidence: "probed" },
  noAutoUpdate: {
    label: "--no-auto-update",
    probe: { flag: "--no-auto-update" },
    since: "0.0.371",
    evidence: "probed",
  },
  secretEnvVars: {
    label: "secret redaction (--secret-env-vars)",
    probe: { flag: "--secret-env-vars" },
    since: "0.0.420",
    evidence: "probed",
  },
  otelFile: {
    label: "the OTel file exporter (COPILOT_OTEL_FILE_EXPORTER_PATH)",
    probe: { env: "COPILOT_OTEL_FILE_EXPORTER_PATH" },
    since: "1.0.20",
    evidence: "probed",
  },
  provider: {
    label: "BYOK providers (COPILOT_PROVIDER_BASE_URL)",
    probe: { env: "COPILOT_PROVIDER_BASE_URL" },
    since: "1.0.11",
    evidence: "probed",
  },
  reasoningEffort: {
    label: "--reasoning-effort",
    probe: { flag: "--reasoning-effort" },
    since: "1.0.4",
    evidence: "changelog",
  },
  agent: {
    label: "custom agents (--agent)",
    probe: { flag: "--agent" },
    since: "0.0.353",
    evidence: "changelog",
  },
  mode: { label: "--mode", probe: { flag: "--mode" }, since: "1.0.23", evidence: "changelog" },
  mcpConfig: {
    label: "MCP servers (--additional-mcp-config)",
    probe: { flag: "--additional-mcp-config" },
    since: "0.0.371",
    evidence: "probed",
  },
  allowTool: {
    label: "--allow-tool / --deny-tool",
    probe: { flag: "--allow-tool" },
    since: "0.0.371",
    evidence: "probed",
  },
} satisfies Record<string, Omit<Feature, "id">>;

export type FeatureId = keyof typeof FEATURES;

export function feature(id: FeatureId): Feature {
  return { id, ...FEATURES[id] };
}

/** Every trial uses these, whatever the experiment says (README "run": the command line). */
const EVERY_TRIAL: FeatureId[] = [
  "outputJson",
  "sessionId",
  "share",
  "logDir",
  "noAutoUpdate",
  "secretEnvVars",
  "otelFile",
];

export interface Requirement {
  feature: Feature;
  /** Who needs it: `every trial`, or `variant fast of fix-the-calculator`. */
  usedBy: string[];
}

function variantFeatures(variant: ResolvedVariant, allScripted: boolean): FeatureId[] {
  const ids: FeatureId[] = [];
  if (variant.provider || allScripted) ids.push("provider");
  if (variant.reasoning_effort) ids.push("reasoningEffort");
  if (variant.agent) ids.push("agent");
  if (variant.mode) ids.push("mode");
  if (variant.mcp_servers && Object.keys(variant.mcp_servers).length > 0) ids.push("mcpConfig");
  if (variant.allow_tools.length > 0 || variant.deny_tools.length > 0) ids.push("allowTool");
  return ids;
}

/** The features the experiments need, each with who needs it. */
export function requiredFeatures(
  experiments: readonly Experiment[],
  opts: { allScripted: boolean },
): Requirement[] {
  const usedBy = new Map<FeatureId, string[]>();
  for (const id of EVERY_TRIAL) usedBy.set(id, ["every trial"]);
  for (const experiment of experiments) {
    for (const variant of experiment.variants) {
      for (const id of variantFeatures(variant, opts.allScripted)) {
        const list = usedBy.get(id) ?? [];
        list.push(`variant ${variant.slug} of ${experiment.slug}`);
        usedBy.set(id, list);
      }
    }
  }
  // In the table's order: every trial's features first, then the variants'.
  const order = Object.keys(FEATURES);
  return [...usedBy]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([id, who]) => ({ feature: feature(id), usedBy: who }));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Does this CLI have the feature? From its help when readable, else from the version table;
 * undefined when neither can tell (an unparsable version and no help).
 */
export function hasFeature(probe: CopilotProbe, f: Feature): boolean | undefined {
  if ("flag" in f.probe && probe.help !== undefined) {
    // `--mode` must not match `--model`.
    return new RegExp(`(^|[\\s,])${escapeRegExp(f.probe.flag)}(?![\\w-])`, "m").test(probe.help);
  }
  if ("env" in f.probe && probe.environmentHelp !== undefined) {
    return new RegExp(`\\b${escapeRegExp(f.probe.env)}\\b`).test(probe.environmentHelp);
  }
  const version = probe.version.replace(/-.*$/, "");
  if (!/^\d+\.\d+\.\d+$/.test(version)) return undefined;
  return Bun.semver.order(version, f.since) >= 0;
}

export interface MissingFeature extends Requirement {
  version: string;
}

/** The required features this CLI lacks (empty: it can run the experiments). */
export function missingFeatures(probe: CopilotProbe, required: readonly Requirement[]): MissingFeature[] {
  return required
    .filter((r) => hasFeature(probe, r.feature) === false)
    .map((r) => ({ ...r, version: probe.version }));
}

/** `BYOK providers (…): needs Copilot CLI 1.0.80 or later (first version known to have it); used by …`. */
export function describeMissing(m: MissingFeature): string {
  const first = `first version that has it: ${m.feature.since}`;
  const users = m.usedBy.length > 3 ? [...m.usedBy.slice(0, 3), `${m.usedBy.length - 3} more`] : m.usedBy;
  return `${m.feature.label} — not in ${m.version}; ${first}; used by ${users.join(", ")}`;
}

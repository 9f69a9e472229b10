// One trial, drawn when it is opened: status and error, its permalink, artifact links, facts
// and metrics, tools, verify output, prompt, turn timeline, the transcript and the workspace
// diff. Everything but the artifact files is in the page, so a copy of the report alone shows it.
import type { ReportData, TrialDetail, TrialRow } from "../types.ts";
import { kv, metrics, timeline, toolsTable, trialFacts, verify } from "./detail-parts.ts";
import { diff } from "./diff-view.ts";
import { h, resultBadge, statusBadge } from "./dom.ts";
import { renderTranscript } from "./transcript-view.ts";
import { trialHref, trialKey } from "./url-state.ts";

export { kv };

/** Display names of variants and tasks, by slug. */
export interface Names {
  variant: Map<string, string>;
  task: Map<string, string>;
}

const cache = new Map<number, TrialDetail | null>();

/** A trial's details, parsed from its JSON block the first time they are needed. */
export function loadDetail(id: number): TrialDetail | null {
  if (cache.has(id)) return cache.get(id)!;
  const block = document.getElementById(`trial-${id}`);
  if (!block) return null;
  const d = JSON.parse(block.textContent ?? "null") as TrialDetail | null;
  cache.set(id, d);
  return d;
}

/**
 * Whether the trial folders can be reached from where this page is: a report in its run folder
 * that was copied elsewhere cannot open them (the page says so next to the links).
 */
export function filesReachable(data: ReportData): "yes" | "no" | "unknown" | "none" {
  if (data.artifact_links === "none") return "none";
  if (data.artifact_links === "relative") return "unknown";
  let path = location.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {}
  return path.endsWith(`/${data.run.id}/report.html`) ? "yes" : "no";
}

export function renderDetail(data: ReportData, row: TrialRow, names: Names): HTMLElement {
  const d = loadDetail(row.id);
  const key = trialKey(row);
  const title = `${names.variant.get(row.variant) || row.variant} × ${names.task.get(row.task) || row.task} · trial ${String(row.trial).padStart(3, "0")}`;
  const box = h("div", { class: "trial-detail", "data-id": row.id, "data-key": key });
  box.append(
    h(
      "h3",
      { class: "detail-title" },
      title,
      " ",
      statusBadge(row.status),
      " ",
      resultBadge(row),
      " ",
      h("a", { class: "permalink", href: trialHref(key), "data-role": "permalink" }, "Link to this trial"),
    ),
  );
  if (!d) {
    box.append(
      h(
        "p",
        { class: "muted" },
        "The details of this trial are not in the report (it is still loading, or the file was cut short).",
      ),
    );
    return box;
  }
  const reach = filesReachable(data);
  const folder = reach === "none" || reach === "no" ? null : d.path;
  if (row.error)
    box.append(
      h(
        "div",
        { class: "error-box", "data-role": "error" },
        row.error,
        d.error_artifact
          ? h("div", { class: "small muted" }, "See ", fileLink(folder, d.path, d.error_artifact))
          : null,
      ),
    );
  if (d.artifacts?.length) box.append(h("h4", null, "Artifacts"), artifacts(d, reach, folder));
  box.append(
    h(
      "div",
      { class: "detail-grid" },
      h("div", null, h("h4", null, "Trial"), trialFacts(row, d)),
      h("div", null, h("h4", null, "Metrics"), metrics(d)),
    ),
  );
  if (d.tools.length) box.append(h("h4", null, "Tools"), toolsTable(d.tools));
  box.append(h("h4", null, "Verify"), verify(d));
  const task = data.tasks.find((t) => t.slug === row.task);
  const prompt = d.prompt ?? (task ? task.prompt : null);
  if (prompt !== null && prompt !== undefined) {
    box.append(
      h(
        "details",
        { class: "prompt" },
        h("summary", null, d.prompt !== null ? "Prompt (this trial)" : "Prompt"),
        h("pre", { "data-role": "prompt" }, prompt),
      ),
    );
  }
  box.append(h("h4", null, `Turn timeline (${d.turns.length + d.turns_omitted} turns)`), timeline(d, key));
  if (d.warnings.length)
    box.append(
      h("h4", null, "Warnings"),
      h(
        "ul",
        null,
        d.warnings.map((w) => h("li", null, h("code", null, w.kind), " ", w.message)),
      ),
    );
  if (d.notes.length)
    box.append(
      h(
        "ul",
        { class: "notes" },
        d.notes.map((n) => h("li", null, n)),
      ),
    );
  box.append(
    h("h4", null, `Transcript${d.transcript ? ` (${d.transcript.entries.length} steps)` : ""}`),
    renderTranscript(d.transcript, { key, id: row.id, folder }),
  );
  box.append(h("h4", null, "Workspace diff"), diff(d, folder));
  return box;
}

/** A link to a file of the trial folder, or its name alone when the folder is out of reach. */
function fileLink(folder: string | null, path: string, name: string): HTMLElement {
  if (folder === null) return h("code", { class: "file-unreachable", title: `${path}/${name}` }, name);
  return h("a", { href: `${folder}/${name}`, target: "_blank", rel: "noopener" }, name);
}

function artifacts(d: TrialDetail, reach: ReturnType<typeof filesReachable>, folder: string | null) {
  const note =
    reach === "none"
      ? "The trial's files are not published with this page; everything above and below is."
      : reach === "no"
        ? `This copy of the report is not in its run folder, so these files cannot be opened from here: they are in ${d.path}/ of the results folder. Everything else (transcript, verify output, diff) is in the page.`
        : reach === "unknown"
          ? "These links open the trial's files in the results folder: they work while this report and the results folder stay where they were written."
          : "";
  return h(
    "div",
    { class: ["artifact-links", folder === null ? "unreachable" : null], "data-reach": reach },
    d.artifacts.map((name) => fileLink(folder, d.path, name)),
    note ? h("p", { class: "muted small files-note", "data-role": "files-note" }, note) : null,
  );
}

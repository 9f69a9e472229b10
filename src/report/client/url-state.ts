// What the page shows, in the URL fragment: the filters, the search, the open trial and a step of
// its transcript. `report.html#trial=fixer/fix-multiply/001&step=5` opens that trial and scrolls
// to step 5 of its transcript; back and forward move between the states the reader went through.
import type { TrialRow } from "../types.ts";

export const FILTERS = ["variant", "task", "status", "result"] as const;
export type Filter = (typeof FILTERS)[number];

export interface ViewState {
  filters: Record<Filter, string>;
  /** Search text. */
  q: string;
  /** The open trial: `variant/task/NNN`. */
  trial: string | null;
  /** A transcript step of the open trial. */
  step: number | null;
}

export const emptyState = (): ViewState => ({
  filters: { variant: "", task: "", status: "", result: "" },
  q: "",
  trial: null,
  step: null,
});

/** A trial's key in URLs: stable across rewrites of the report (unlike its row index). */
export const trialKey = (t: Pick<TrialRow, "variant" | "task" | "trial">) =>
  `${t.variant}/${t.task}/${String(t.trial).padStart(3, "0")}`;

export function parseHash(hash: string): ViewState {
  const state = emptyState();
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  for (const f of FILTERS) state.filters[f] = params.get(f) ?? "";
  state.q = params.get("q") ?? "";
  state.trial = params.get("trial") || null;
  const step = Number(params.get("step"));
  state.step = state.trial && Number.isInteger(step) && step > 0 ? step : null;
  return state;
}

export function formatHash(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.trial) params.set("trial", state.trial);
  if (state.trial && state.step) params.set("step", String(state.step));
  for (const f of FILTERS) if (state.filters[f]) params.set(f, state.filters[f]);
  if (state.q) params.set("q", state.q);
  const text = params.toString().replace(/%2F/g, "/");
  return text ? `#${text}` : "";
}

/** The link to a trial (and a step of it) on this page. */
export const trialHref = (key: string, step?: number) =>
  formatHash({ ...emptyState(), trial: key, step: step ?? null });

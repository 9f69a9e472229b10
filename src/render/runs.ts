import { aiu, DASH, rateWithCi, tokens } from "../formats/numbers.ts";
import type { IndexedRun } from "../index/query.ts";
import { renderTable } from "./table.ts";

/** Stored runs for `list`, grouped by experiment (oldest first), 80 columns wide at least. */
export function renderRuns(runs: readonly IndexedRun[], width?: number): string {
  const groups = new Map<string, IndexedRun[]>();
  for (const r of runs) groups.set(r.experiment, [...(groups.get(r.experiment) ?? []), r]);
  const right = (header: string) => ({ header, align: "right" as const });
  return [...groups.values()]
    .map((group) => {
      const last = group.at(-1)!;
      const table = renderTable(
        [
          { header: "run", min: 23 },
          { header: "status", min: 11 },
          ...["trials", "success", "infra", "cost"].map(right),
        ],
        group.map((r) => [
          r.run_id,
          r.status,
          r.n_planned !== null && r.n_planned !== r.n_trials ? `${r.n_trials}/${r.n_planned}` : r.n_trials,
          // The interval's n only where it differs from the trials beside it (fits 80 columns).
          rateWithCi(
            r.success_rate,
            r.success_ci_low,
            r.success_ci_high,
            r.n_graded !== r.n_trials ? r.n_graded : undefined,
          ),
          r.n_failed_trials || DASH,
          r.n_aiu_known
            ? `${aiu(r.total_aiu)} AIU`
            : r.total_tokens !== null
              ? `${tokens(r.total_tokens)} tok`
              : DASH,
        ]),
        { width, indent: 2 },
      );
      return `${last.experiment_name} (${last.experiment})\n${table}`;
    })
    .join("\n\n");
}

import { UserError } from "../errors.ts";
import type { Experiment } from "../experiment/load.ts";
import type { TrialCell } from "./context.ts";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/**
 * Every (variant, task, trial) cell, trial-major: all first trials before any second trial, so a
 * budget or an interruption leaves an even spread over variants and tasks rather than a few
 * variants fully run and the rest untouched.
 */
export function planCells(experiment: Experiment): TrialCell[] {
  const cells: TrialCell[] = [];
  const maxTrials = Math.max(...experiment.variants.map((v) => v.trials));
  for (let trial = 1; trial <= maxTrials; trial++) {
    for (const task of experiment.tasks) {
      for (const variant of experiment.variants) {
        if (trial <= variant.trials) cells.push({ variant, task, trial });
      }
    }
  }
  return cells;
}

export const cellKey = (c: {
  variant: { slug: string } | string;
  task: { slug: string } | string;
  trial: number;
}) =>
  `${typeof c.variant === "string" ? c.variant : c.variant.slug}/${typeof c.task === "string" ? c.task : c.task.slug}/${c.trial}`;

/**
 * A deterministic, balanced slice: cell i (in plan order) belongs to shard (i mod N) + 1, so
 * shard sizes differ by at most one and each shard gets a spread of variants and tasks.
 */
export function shardCells<T>(cells: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...cells];
  return cells.filter((_, i) => i % shard.count === shard.index - 1);
}

export function parseShard(value: string | undefined): Shard | undefined {
  if (value === undefined || value === "") return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UserError(`--shard expects K/N with 1 <= K <= N (e.g. 2/4), got ${JSON.stringify(value)}`, {
      hint: "In a CI matrix of N jobs, job K runs --shard K/N with the same --run-id.",
    });
  }
  return { index, count };
}

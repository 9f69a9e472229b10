import { rootArgs, runSelectorArgs } from "./shared.ts";

export const reportSpec = {
  meta: {
    name: "report",
    description:
      "(Re)write a run's report.html: one self-contained file, works offline; or (--site DIR) a static site of every run of every experiment",
  },
  args: {
    ...runSelectorArgs,
    ...rootArgs,
    out: {
      type: "string",
      description: "Write the report here instead of <run>/report.html",
      valueHint: "FILE",
    },
    site: {
      type: "string",
      description:
        "Write a static site to DIR: an index of every run, each experiment's trends, each run's report",
      valueHint: "DIR",
    },
  },
} as const;

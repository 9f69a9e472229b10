import { jsonArgs, rootArgs } from "./shared.ts";

export const reindexSpec = {
  meta: { name: "reindex", description: "Rebuild results/index.db from the results tree" },
  args: { ...rootArgs, ...jsonArgs },
} as const;

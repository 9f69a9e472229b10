import { jsonArgs, rootArgs } from "./shared.ts";

export const listSpec = {
  meta: { name: "list", description: "List the experiments found under the root and the stored runs" },
  args: { ...rootArgs, ...jsonArgs },
} as const;

import { cpSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./cli.ts";
import { tempDir } from "./tmp.ts";

/** The real Copilot CLI installed as a dev dependency (driven against the scripted provider). */
export const COPILOT = join(PROJECT_ROOT, "node_modules/.bin/copilot");

/** A temp experiment root holding a copy of the bundled example (experiments/ and fixtures/). */
export function copyExampleRoot(): string {
  const root = tempDir("cx-root-");
  for (const dir of ["experiments", "fixtures"])
    cpSync(join(PROJECT_ROOT, dir), join(root, dir), { recursive: true });
  return root;
}

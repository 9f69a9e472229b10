import { writeFakeCopilotTo } from "./fake-copilot-script.ts";
import { tempDir } from "./tmp.ts";

export { processesMatching, writeFakeCopilotTo } from "./fake-copilot-script.ts";

/** Write the fake `copilot` into a fresh temp folder (removed after the test file). */
export function writeFakeCopilot(): string {
  return writeFakeCopilotTo(tempDir("cx-fake-copilot-"));
}

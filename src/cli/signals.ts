import { killAllGroups, killAllScopes } from "../process/run-group.ts";

/**
 * First SIGINT/SIGTERM: abort (start nothing new, stop running trials, write what exists).
 * Second: kill every child group and exit at once. Children run in their own process groups and
 * do not see the terminal's Ctrl-C, so the harness kills them itself.
 */
export function handleInterrupts(onFirst: (signal: NodeJS.Signals) => void): {
  controller: AbortController;
  dispose(): void;
} {
  const controller = new AbortController();
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count += 1;
    if (count === 1) {
      onFirst(signal);
      controller.abort(signal);
      return;
    }
    killAllGroups("SIGKILL");
    killAllScopes();
    process.exit(signal === "SIGTERM" ? 143 : 130);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    controller,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A stand-in `copilot` executable for robustness tests, written as a POSIX shell script so it
 * starts fast and behaves like a real process tree. It writes a minimal current-schema session
 * log into `$COPILOT_HOME/session-state/<id>/events.jsonl`, changes the workspace, answers
 * `--version`, `--help` and `help environment` like a CLI with every feature, and obeys
 * variables a variant sets in its `env`:
 *   FAKE_SLEEP_S=N       sleep N seconds before finishing
 *   FAKE_SPAWN_BG=SECS   start background `sleep SECS` grandchildren (use a unique SECS such as
 *                        1000.4711 and look for it in the process table)
 *   FAKE_FAIL_FIRST=DIR  fail (exit 1, no session) on the first call, succeed afterwards
 *   FAKE_EXIT=N          exit with N after writing the session
 *   FAKE_AIU_NANO=N      report N nano-AIU in the shutdown event (budget tests)
 *   FAKE_CALLS=FILE      append one line per call (to count invocations)
 *   FAKE_SESSION_VERSION=V  the version the session log names (default: 0.0.0-fake, as --version)
 */
export function writeFakeCopilotTo(dir: string): string {
  const path = join(dir, "copilot");
  writeFileSync(
    path,
    `#!/bin/sh
case "$1" in
  --version) echo "GitHub Copilot CLI 0.0.0-fake."; exit 0 ;;
  --help)
    echo "Usage: copilot [options]"
    for flag in --help --version -p -C --output-format --session-id --share --log-dir --no-auto-update \\
      --secret-env-vars --model --reasoning-effort --agent --mode --allow-all-tools --allow-tool --deny-tool \\
      --additional-mcp-config; do echo "  $flag"; done
    exit 0 ;;
  help)
    echo "Environment Variables:"
    echo "  COPILOT_PROVIDER_BASE_URL: a BYOK provider"
    echo "  COPILOT_OTEL_FILE_EXPORTER_PATH: OTel JSON lines"
    exit 0 ;;
esac
session=""; workspace="$PWD"
while [ $# -gt 0 ]; do
  case "$1" in
    --session-id) session="$2"; shift ;;
    -C) workspace="$2"; shift ;;
  esac
  shift
done
[ -n "$FAKE_CALLS" ] && echo "$session" >> "$FAKE_CALLS"
if [ -n "$FAKE_FAIL_FIRST" ]; then
  mkdir -p "$FAKE_FAIL_FIRST"
  key=$(echo "$workspace" | cksum | cut -d' ' -f1)
  if [ ! -e "$FAKE_FAIL_FIRST/$key" ]; then
    touch "$FAKE_FAIL_FIRST/$key"
    echo "fake: simulated crash before the first turn" >&2
    exit 1
  fi
fi
if [ -n "$FAKE_SPAWN_BG" ]; then
  sleep "$FAKE_SPAWN_BG" &
  (sleep "$FAKE_SPAWN_BG" &)
  sh -c "sleep $FAKE_SPAWN_BG" &
fi
if [ -n "$FAKE_SLEEP_S" ]; then sleep "$FAKE_SLEEP_S"; fi
echo "fixed by fake" >> "$workspace/FAKE_CHANGE.txt"
home="\${COPILOT_HOME:-$HOME/.copilot}"
dir="$home/session-state/$session"
mkdir -p "$dir"
aiu="\${FAKE_AIU_NANO:-0}"
now="2026-01-01T00:00:00.000Z"
cat > "$dir/events.jsonl" <<JSONL
{"type":"session.start","data":{"sessionId":"$session","copilotVersion":"\${FAKE_SESSION_VERSION:-0.0.0-fake}","startTime":"$now","selectedModel":"fake-model","context":{"cwd":"$workspace"}},"id":"e1","timestamp":"$now","parentId":null}
{"type":"user.message","data":{"content":"task"},"id":"e2","timestamp":"$now","parentId":"e1"}
{"type":"assistant.turn_start","data":{"turnId":"0"},"id":"e3","timestamp":"$now","parentId":"e2"}
{"type":"assistant.message","data":{"messageId":"m1","model":"fake-model","content":"Done.","toolRequests":[],"turnId":"0","outputTokens":10},"id":"e4","timestamp":"$now","parentId":"e3"}
{"type":"assistant.turn_end","data":{"turnId":"0"},"id":"e5","timestamp":"$now","parentId":"e4"}
{"type":"session.shutdown","data":{"shutdownType":"routine","totalPremiumRequests":1,"totalNanoAiu":$aiu,"tokenDetails":{"input":{"tokenCount":90},"cache_read":{"tokenCount":10},"output":{"tokenCount":10}},"totalApiDurationMs":5,"codeChanges":{"linesAdded":1,"linesRemoved":0,"filesModified":["$workspace/FAKE_CHANGE.txt"]},"modelMetrics":{"fake-model":{"requests":{"count":1,"cost":1},"usage":{"inputTokens":100,"outputTokens":10,"cacheReadTokens":10,"cacheWriteTokens":0},"totalNanoAiu":$aiu}},"currentModel":"fake-model"},"id":"e6","timestamp":"$now","parentId":"e5"}
JSONL
echo '{"type":"result","exitCode":0}'
exit "\${FAKE_EXIT:-0}"
`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** Processes whose command line contains `marker` (checked in the process table, not by exit codes). */
export function processesMatching(marker: string): string[] {
  const out = Bun.spawnSync(["ps", "-eo", "pid,args"]).stdout.toString();
  return out.split("\n").filter((l) => l.includes(marker) && !l.includes("ps -eo"));
}

/** Files `init` writes: a small, working experiment repository (POSIX shell only, no toolchain). */

export const SCHEMA_FILE = "experiment.schema.json";

export function exampleExperiment(name: string): string {
  return `# yaml-language-server: $schema=../${SCHEMA_FILE}
#
# One experiment: tasks × variants × trials. Every trial copies the fixture into a fresh git
# workspace, runs \`copilot -p <prompt>\` there, then runs \`verify\` (exit 0 = solved).
name: ${JSON.stringify(name)}
description: Does Copilot fix a one-character bug, and do repository instructions help?
concurrency: 2                  # agents at once (\`run --concurrency N\` overrides it)
tasks:
  - name: fix-greeting
    prompt: |
      \`sh test.sh\` fails: greet.sh prints the wrong greeting. Fix greet.sh so the test passes.
      Do not change test.sh.
    fixture: fixtures/greeter
    verify: sh test.sh
    # A known good fix: \`check\` proves the task is solvable and the baseline really fails.
    solution: ["sed -i 's/Helo/Hello/' greet.sh"]
    timeout_s: 600
variants:
  # Offline: the real Copilot CLI against the built-in scripted model, which replays
  # ${SCRIPT_FILE}. No token, no cost: \`copilot-experiments run --variants scripted\`.
  - name: scripted
    provider: { script: ${SCRIPT_FILE} }
    trials: 2
  # Real models: these need a GitHub token with Copilot access (COPILOT_GITHUB_TOKEN, GH_TOKEN
  # or \`gh auth login\`). \`copilot-experiments run\` runs every variant.
  - name: default-model
    # model: gpt-5              # omit to use the Copilot CLI's default model
    # reasoning_effort: low      # none|minimal|low|medium|high|xhigh|max
    trials: 3
  - name: with-instructions
    instructions: |
      Before you finish, run the repository's tests and make the smallest change that fixes them.
    trials: 3
`;
}

/** The scripted model's answers for the example task: tool calls the real CLI executes. */
export const SCRIPT_FILE = "experiments/scripts/fix-greeting.yaml";

export const SCRIPT = `# The built-in scripted model (README, "The scripted model provider"): each step answers one
# model request with a tool call, which the real Copilot CLI executes, or a final message.
model: scripted-fixer
tasks:
  fix-greeting:
    - tool: view
      args: { path: greet.sh }
      usage: { input: 1600, output: 20 }
    - tool: edit
      args: { path: greet.sh, old_str: "Helo,", new_str: "Hello," }
      usage: { input: 1900, output: 45, cached: 1536 }
    - tool: bash
      args: { command: "sh test.sh", description: "Run the test" }
      usage: { input: 2100, output: 25, cached: 1792 }
    - message: "greet.sh printed \\"Helo\\"; it now prints \\"Hello\\" and \`sh test.sh\` passes."
      usage: { input: 2300, output: 30, cached: 2048 }
steps:
  - message: "I have no script for this task."
`;

export const GREETER = {
  "fixtures/greeter/greet.sh": `#!/bin/sh
# Print a greeting for the name given as the first argument.
name="\${1:-world}"
echo "Helo, $name!"
`,
  "fixtures/greeter/test.sh": `#!/bin/sh
# Exit 0 when greet.sh greets correctly.
expected="Hello, Ada!"
actual="$(sh greet.sh Ada)"
if [ "$actual" = "$expected" ]; then
  echo "ok: $actual"
else
  echo "FAIL: expected '$expected', got '$actual'" >&2
  exit 1
fi
`,
  "fixtures/greeter/README.md":
    "# greeter\n\n`sh greet.sh NAME` prints a greeting; `sh test.sh` checks it.\n",
};

export const GITIGNORE = "results/\n";

export function readme(name: string): string {
  return `# ${name}

An experiment repository for copilot-experiments:
\`experiments/\` holds the experiments, \`fixtures/\` the starting workspaces, and every run
writes \`results/\` (git-ignored): a folder per run with a summary, an HTML report and every
trial's session log, diff and verify output.

## Next steps

1. **Check the task** — no Copilot needed: the baseline must fail \`verify\` and the
   \`solution\` must pass it.

       copilot-experiments check

2. **Run it offline** — the \`scripted\` variant drives the real Copilot CLI against the
   built-in scripted model (\`${SCRIPT_FILE}\`): no token, no cost. Then look at it.

       copilot-experiments run --variants scripted
       copilot-experiments show --last
       copilot-experiments report --last

3. **Run real models** — with a GitHub token that has Copilot access
   (\`COPILOT_GITHUB_TOKEN\`, \`GH_TOKEN\` or \`gh auth login\`), every variant:

       copilot-experiments run
       copilot-experiments compare --last --variants default-model,with-instructions

Edit \`experiments/example.yaml\` to add tasks and variants (models, reasoning effort,
custom agents, tool policies, instructions, MCP servers). \`${SCHEMA_FILE}\` gives your
editor completion and validation.
`;
}

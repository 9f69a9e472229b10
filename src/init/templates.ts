/** Files `init` writes: a small, working experiment repository (POSIX shell only, no toolchain). */

export const SCHEMA_FILE = "experiment.schema.json";

export function exampleExperiment(name: string): string {
  return `# yaml-language-server: $schema=../${SCHEMA_FILE}
#
# One experiment: tasks × variants × trials. Every trial copies the fixture into a fresh git
# workspace, runs \`copilot -p <prompt>\` there, then runs \`verify\` (exit 0 = solved).
name: ${JSON.stringify(name)}
description: Do repository instructions help Copilot fix a one-character bug?
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
  - name: baseline
    # model: gpt-5              # omit to use the Copilot CLI's default model
    # reasoning_effort: low      # none|minimal|low|medium|high|xhigh|max
    trials: 3
  - name: with-instructions
    instructions: |
      Before you finish, run the repository's tests and make the smallest change that fixes them.
    trials: 3
`;
}

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

1. **Check the tasks** — no Copilot needed: the baseline must fail \`verify\` and the
   \`solution\` must pass it.

       copilot-experiments check

2. **Dry run** — the whole pipeline in a throwaway folder, with a stand-in for Copilot
   (add \`--with-copilot\` to drive the real CLI against the built-in scripted model, still
   free and offline).

       copilot-experiments run --dry-run

3. **Run it** — with a GitHub token that has Copilot access (\`COPILOT_GITHUB_TOKEN\`,
   \`GH_TOKEN\` or \`gh auth login\`), then open the report it prints.

       copilot-experiments run
       copilot-experiments show --last

Edit \`experiments/example.yaml\` to add tasks and variants (models, reasoning effort,
custom agents, tool policies, instructions, MCP servers). \`${SCHEMA_FILE}\` gives your
editor completion and validation.
`;
}

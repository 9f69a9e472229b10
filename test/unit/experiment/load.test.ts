import { describe, expect, test } from "bun:test";
import { UserError } from "../../../src/errors.ts";
import { loadExperiments } from "../../../src/experiment/load.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

const FIXTURE = { "fixtures/app/main.py": "print('hi')\n" };

/** Load one experiment file's text from a fresh root; returns the error details or the experiment. */
function load(yaml: string, env: Record<string, string> = {}, extra: Record<string, string> = FIXTURE) {
  const root = writeTree(tempDir(), { "experiments/exp.yaml": yaml, ...extra });
  try {
    return { experiments: loadExperiments(root, [], env), root };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { error: err, details: err.details, root };
  }
}

function problems(yaml: string, env: Record<string, string> = {}, extra?: Record<string, string>): string[] {
  const result = load(yaml, env, extra);
  expect(result.error).toBeInstanceOf(UserError);
  expect(result.error!.exitCode).toBe(2);
  return result.details!;
}

const VALID = `name: Demo
task:
  prompt: Fix it
  fixture: fixtures/app
  verify: python3 main.py
variants:
  - name: base
`;

describe("valid experiments", () => {
  test("defaults are filled in and slugs derived", () => {
    const { experiments } = load(VALID);
    const [e] = experiments!;
    expect(e!.slug).toBe("demo");
    expect(e!.tasks[0]!.slug).toBe("task-001");
    expect(e!.tasks[0]!.timeout_s).toBe(1800);
    expect(e!.tasks[0]!.verify_timeout_s).toBe(600);
    expect(e!.tasks[0]!.verify_repeats).toBe(1);
    expect(e!.tasks[0]!.setup).toEqual([]);
    expect(e!.variants[0]!.allow_all_tools).toBe(true);
    expect(e!.variants[0]!.trials).toBe(1);
    expect(e!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("duplicate names get -2, -3 suffixes in declaration order; unnamed tasks are numbered", () => {
    const { experiments } = load(`name: Demo
tasks:
  - {prompt: a, fixture: fixtures/app}
  - {name: Fix It!, prompt: b, fixture: fixtures/app}
  - {name: fix it, prompt: c, fixture: fixtures/app}
  - {prompt: d, fixture: fixtures/app}
variants:
  - name: GPT-5 low
  - name: gpt-5 low
  - name: gpt 5 low
  - {}
`);
    const e = experiments![0]!;
    expect(e.tasks.map((t) => t.slug)).toEqual(["task-001", "fix-it", "fix-it-2", "task-004"]);
    expect(e.variants.map((v) => v.slug)).toEqual(["gpt-5-low", "gpt-5-low-2", "gpt-5-low-3", "variant-004"]);
  });

  test("${VAR} and ${VAR:-default} interpolate; secrets are masked in the stored definition", () => {
    const { experiments } = load(
      `name: \${EXP_NAME}
task: {prompt: "model \${MODEL:-gpt-5}", fixture: fixtures/app}
variants:
  - provider: {base_url: "http://localhost:1/v1", api_key: "\${MY_PROVIDER_KEY}"}
    env: {PLAIN: "1", FROM_ENV: "\${OTHER}", API_TOKEN: "literal-secret-value"}
`,
      { EXP_NAME: "Interp", MY_PROVIDER_KEY: "sk-verysecret-123", OTHER: "other-value-xyz" },
    );
    const e = experiments![0]!;
    expect(e.name).toBe("Interp");
    expect(e.tasks[0]!.prompt).toBe("model gpt-5");
    expect(e.variants[0]!.provider!.api_key).toBe("sk-verysecret-123");
    const stored = JSON.stringify(e.redacted);
    expect(stored).not.toContain("sk-verysecret-123");
    expect(stored).not.toContain("other-value-xyz");
    expect(stored).not.toContain("literal-secret-value");
    expect(e.redacted.variants[0]!.env.PLAIN).toBe("1");
    expect(e.variants[0]!.secret_env_keys.sort()).toEqual(["API_TOKEN", "FROM_ENV"]);
    expect(e.variables_read).toEqual(["EXP_NAME", "MODEL", "MY_PROVIDER_KEY", "OTHER"]);
  });

  test("$${ escapes a literal ${", () => {
    const { experiments } = load(VALID.replace("Fix it", () => "echo $${HOME}"));
    expect(experiments![0]!.tasks[0]!.prompt).toBe("echo ${HOME}");
  });

  test("names select experiments by name, slug or file stem; unknown names are errors", () => {
    const root = writeTree(tempDir(), {
      "experiments/a.yaml": VALID,
      "experiments/b.yml": VALID.replace("Demo", "Other"),
      ...FIXTURE,
    });
    expect(loadExperiments(root, ["a"], {}).map((e) => e.name)).toEqual(["Demo"]);
    expect(loadExperiments(root, ["other"], {}).map((e) => e.name)).toEqual(["Other"]);
    expect(loadExperiments(root, ["Other"], {}).map((e) => e.slug)).toEqual(["other"]);
    expect(() => loadExperiments(root, ["nope"], {})).toThrow(/unknown experiment "nope"/);
  });

  test("a root without experiments is a clear error", () => {
    expect(() => loadExperiments(tempDir(), [], {})).toThrow(/no experiment files found/);
  });
});

describe("invalid experiments: one precise message per problem", () => {
  test("YAML syntax error names file, line and column", () => {
    const [msg] = problems(`name: Demo\ntask:\n  prompt: "unterminated\nvariants: []\n`);
    expect(msg).toMatch(/^experiments\/exp\.yaml:\d+:\d+: YAML syntax error/);
  });

  test("wrong type says what was expected and found", () => {
    const msgs = problems(VALID.replace("name: base", "name: base\n    trials: three"));
    expect(msgs).toEqual(['experiments/exp.yaml:8:13: variants[0].trials: expected a number, found "three"']);
  });

  test("unknown key suggests the closest valid key", () => {
    const msgs = problems(VALID.replace("name: base", "name: base\n    reasoning_efort: high"));
    expect(msgs).toEqual([
      "experiments/exp.yaml:8:5: variants[0].reasoning_efort: unknown key (did you mean `reasoning_effort`?)",
    ]);
  });

  test("unknown top-level key without a close match lists the valid keys", () => {
    const [msg] = problems(`${VALID}colour: blue\n`);
    expect(msg).toContain("experiments/exp.yaml:8:1: colour: unknown key (valid keys: name, description");
  });

  test("both task and tasks", () => {
    const msgs = problems(`${VALID}tasks:\n  - {prompt: b, fixture: fixtures/app}\n`);
    expect(msgs).toContain(
      "experiments/exp.yaml:8:1: tasks: give either `task` (one) or `tasks` (a list), not both",
    );
  });

  test("neither task nor tasks", () => {
    const msgs = problems("name: Demo\nvariants:\n  - name: a\n");
    expect(msgs).toEqual([
      "experiments/exp.yaml:1:1: missing `task` (one task) or `tasks` (a list of tasks)",
    ]);
  });

  test("empty variants", () => {
    const msgs = problems(VALID.replace("variants:\n  - name: base\n", "variants: []\n"));
    expect(msgs).toEqual([
      "experiments/exp.yaml:6:11: variants: expected a list with at least 1 item, found a list of 0 items",
    ]);
  });

  test("missing variants", () => {
    const msgs = problems(VALID.replace("variants:\n  - name: base\n", ""));
    expect(msgs).toEqual(["experiments/exp.yaml:1:1: variants: required field is missing (expected a list)"]);
  });

  test("bad enum value suggests the closest option", () => {
    const msgs = problems(VALID.replace("name: base", "name: base\n    reasoning_effort: hgh"));
    expect(msgs).toEqual([
      'experiments/exp.yaml:8:23: variants[0].reasoning_effort: expected one of none, minimal, low, medium, high, xhigh, max; found "hgh" (did you mean `high`?)',
    ]);
  });

  test("negative trials", () => {
    const msgs = problems(VALID.replace("name: base", "name: base\n    trials: -1"));
    expect(msgs).toEqual([
      "experiments/exp.yaml:8:13: variants[0].trials: expected a positive number, found -1",
    ]);
  });

  test("fractional trials", () => {
    const [msg] = problems(VALID.replace("name: base", "name: base\n    trials: 1.5"));
    expect(msg).toStartWith("experiments/exp.yaml:8:13: variants[0].trials: expected an integer");
    expect(msg).toContain("found 1.5");
  });

  test("unset ${VAR} names the variable and the fix", () => {
    const msgs = problems(VALID.replace("Fix it", "Fix ${TASK_TARGET}"));
    expect(msgs).toEqual([
      "experiments/exp.yaml:3:11: task.prompt: environment variable TASK_TARGET is not set; export it or write ${TASK_TARGET:-default}",
    ]);
  });

  test("fixture escaping the root", () => {
    const msgs = problems(VALID.replace("fixtures/app", "../outside"));
    expect(msgs).toEqual([
      'experiments/exp.yaml:4:12: task.fixture: fixture "../outside" is outside the experiment root; use a path inside it',
    ]);
  });

  test("absolute fixture path is rejected", () => {
    const [msg] = problems(VALID.replace("fixtures/app", "/etc"));
    expect(msg).toContain('task.fixture: fixture "/etc" is outside the experiment root');
  });

  test("missing fixture folder", () => {
    const msgs = problems(VALID.replace("fixtures/app", "fixtures/nope"));
    expect(msgs).toEqual([
      'experiments/exp.yaml:4:12: task.fixture: fixture folder "fixtures/nope" does not exist (looked for fixtures/nope)',
    ]);
  });

  test("missing prompt", () => {
    const msgs = problems(VALID.replace("  prompt: Fix it\n", ""));
    expect(msgs).toEqual([
      "experiments/exp.yaml:3:3: task.prompt: required field is missing (expected a string)",
    ]);
  });

  test("task without fixture or repo", () => {
    const msgs = problems(VALID.replace("  fixture: fixtures/app\n", ""));
    expect(msgs).toEqual([
      "experiments/exp.yaml:3:3: task: a task needs a starting workspace: `fixture` (a folder) or `repo` (git)",
    ]);
  });

  test("both fixture and repo; ref without repo", () => {
    const both = problems(
      VALID.replace("fixture: fixtures/app", "fixture: fixtures/app\n  repo: https://example.invalid/x.git"),
    );
    expect(both[0]).toContain("task.repo: give either `fixture` or `repo`, not both");
    const ref = problems(VALID.replace("fixture: fixtures/app", "fixture: fixtures/app\n  ref: main"));
    expect(ref[0]).toContain("task.ref: `ref` needs `repo`");
  });

  test("provider without base_url or script", () => {
    const [msg] = problems(VALID.replace("name: base", "name: base\n    provider: {type: openai}"));
    expect(msg).toBe(
      "experiments/exp.yaml:8:15: variants[0].provider: a provider needs `base_url` or `script`",
    );
  });

  test("wrong type for setup lists", () => {
    const [msg] = problems(
      VALID.replace("verify: python3 main.py", "verify: python3 main.py\n  setup: {a: 1}"),
    );
    expect(msg).toBe(
      "experiments/exp.yaml:6:10: task.setup: expected a command string or a list of command strings, found a mapping",
    );
  });

  test("a file that is not a mapping", () => {
    const msgs = problems("- just\n- a list\n");
    expect(msgs).toEqual([
      "experiments/exp.yaml:1:1: expected a mapping with `name`, `task` or `tasks` and `variants`; found a list of 2 items",
    ]);
  });

  test("several problems in one file are all reported", () => {
    const msgs = problems(`name: Demo
task:
  prompt: Fix it
  fixture: fixtures/app
  timeout_s: soon
variants:
  - mode: turbo
    trials: 0
    allow_tools: shell
`);
    expect(msgs).toHaveLength(4);
    expect(msgs.join("\n")).toContain('task.timeout_s: expected a number, found "soon"');
    expect(msgs.join("\n")).toContain(
      'variants[0].mode: expected one of interactive, plan, autopilot; found "turbo"',
    );
    expect(msgs.join("\n")).toContain("variants[0].trials: expected a positive number, found 0");
    expect(msgs.join("\n")).toContain('variants[0].allow_tools: expected a list, found "shell"');
  });

  test("duplicate keys are a YAML error", () => {
    const [msg] = problems(VALID.replace("name: base", "name: base\n    name: again"));
    expect(msg).toMatch(
      /^experiments\/exp\.yaml:8:5: YAML syntax error: this key appears twice in the same mapping: keep one \(the parser says: Map keys must be unique/,
    );
  });

  test("problems in every file are reported together", () => {
    const root = writeTree(tempDir(), {
      "experiments/a.yaml": VALID.replace("name: base", "name: base\n    trials: 0"),
      "experiments/b.yaml": VALID.replace("Fix it", "${NOPE_VAR}"),
      ...FIXTURE,
    });
    try {
      loadExperiments(root, [], {});
      throw new Error("expected failure");
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      const e = err as UserError;
      expect(e.message).toBe("2 problems in experiments/a.yaml, experiments/b.yaml");
      expect(e.details[0]).toStartWith("experiments/a.yaml:8:13:");
      expect(e.details[1]).toStartWith("experiments/b.yaml:3:11:");
    }
  });
});

import { describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../../src/errors.ts";
import { loadExperiments } from "../../../src/experiment/load.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

/** Experiment files that would reach outside the root or past what the machine can hold. */

const VALID = `name: Demo
task:
  prompt: Fix it
  fixture: fixtures/app
variants:
  - name: base
`;

function problemsOf(root: string): string[] {
  try {
    loadExperiments(root, [], {});
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    return (err as UserError).details;
  }
  throw new Error("expected the experiment to be refused");
}

function rootWith(yaml: string | Uint8Array): string {
  const root = writeTree(tempDir(), { "fixtures/app/main.py": "x\n", "overlay/AGENTS.md": "hi\n" });
  mkdirSync(join(root, "experiments"));
  writeFileSync(join(root, "experiments/exp.yaml"), yaml);
  return root;
}

describe("sources reached through symlinks", () => {
  test("a fixture that is a link to a folder outside the root is refused, naming where it leads", () => {
    const outside = writeTree(tempDir(), { "repo/main.py": "x\n" });
    const root = rootWith(VALID.replace("fixtures/app", "fixtures/linked"));
    symlinkSync(join(outside, "repo"), join(root, "fixtures/linked"));
    expect(problemsOf(root)).toEqual([
      `experiments/exp.yaml:4:12: task.fixture: fixture "fixtures/linked" leads through a symlink to ${join(outside, "repo")}, outside the experiment root; copy it into the root instead (links inside a fixture stay links)`,
    ]);
  });

  test("a fixture inside a linked folder that leads outside is refused too", () => {
    const outside = writeTree(tempDir(), { "app/main.py": "x\n" });
    const root = rootWith(VALID.replace("fixtures/app", "shared/app"));
    symlinkSync(outside, join(root, "shared"));
    expect(problemsOf(root)[0]).toContain("leads through a symlink to");
  });

  test("a link that stays inside the root is fine", () => {
    const root = rootWith(VALID.replace("fixtures/app", "fixtures/alias"));
    symlinkSync(join(root, "fixtures/app"), join(root, "fixtures/alias"));
    expect(loadExperiments(root, [], {})).toHaveLength(1);
  });

  test("overlay and copilot_home that are not folders, or lead outside, fail at validation", () => {
    const outside = tempDir();
    const root = rootWith(`${VALID}    overlay: overlay/AGENTS.md\n    copilot_home: home\n`);
    symlinkSync(outside, join(root, "home"));
    const msgs = problemsOf(root);
    expect(msgs[0]).toBe(
      'experiments/exp.yaml:7:14: variants[0].overlay: overlay "overlay/AGENTS.md" is not a folder',
    );
    expect(msgs[1]).toContain('variants[0].copilot_home: copilot_home "home" leads through a symlink to');
  });

  test("a script file that leads outside, or is a folder, is refused", () => {
    const outside = writeTree(tempDir(), { "s.yaml": "steps: [{message: hi}]\n" });
    const root = rootWith(
      `${VALID}    provider: {script: scripts/s.yaml}\n  - name: b\n    provider: {script: overlay/}\n`,
    );
    mkdirSync(join(root, "scripts"));
    symlinkSync(join(outside, "s.yaml"), join(root, "scripts/s.yaml"));
    const msgs = problemsOf(root);
    expect(msgs[0]).toContain('variants[0].provider.script: script "scripts/s.yaml" leads through a symlink');
    expect(msgs[1]).toContain('variants[1].provider.script: script "overlay/" is not a file');
  });
});

describe("bounds", () => {
  test("a timeout beyond what a timer holds names the field and the limit", () => {
    const msgs = problemsOf(
      rootWith(VALID.replace("  prompt: Fix it", "  prompt: Fix it\n  timeout_s: 3000000")),
    );
    expect(msgs).toEqual([
      "experiments/exp.yaml:4:14: task.timeout_s: timeout_s is at most 2147483 s (24.8 days): a longer wait does not fit a timer",
    ]);
    const verify = problemsOf(
      rootWith(VALID.replace("  prompt: Fix it", "  prompt: Fix it\n  verify_timeout_s: 1e12")),
    );
    expect(verify[0]).toContain("task.verify_timeout_s: verify_timeout_s is at most 2147483 s");
  });

  test("trials per variant and trials in all are capped before anything is allocated", () => {
    const many = problemsOf(rootWith(`${VALID}    trials: 1e9\n`));
    expect(many).toEqual([
      "experiments/exp.yaml:7:13: variants[0].trials: at most 10000 trials per variant; split a bigger study into several experiments or runs",
    ]);
    const variants = Array.from({ length: 11 }, (_, i) => `  - {name: v${i}, trials: 10000}`).join("\n");
    const cells = problemsOf(rootWith(VALID.replace("  - name: base", variants)));
    expect(cells).toEqual([
      "experiments/exp.yaml:6:3: variants: 110000 trials in all (variants × tasks × trials); the limit is 100000: split the study into several experiments",
    ]);
  });

  test("a prompt larger than 1 MB is refused", () => {
    const msgs = problemsOf(rootWith(VALID.replace("Fix it", "x".repeat(1024 * 1024 + 1))));
    expect(msgs[0]).toContain("task.prompt: a prompt is at most 1 MB");
  });

  test("a YAML alias bomb is an error with the file, not a crash", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => {
        const name = String.fromCharCode(98 + i);
        const prev = String.fromCharCode(97 + i);
        return `${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
    ].join("\n");
    const msgs = problemsOf(rootWith(`${bomb}\n${VALID}`));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toStartWith("experiments/exp.yaml:1:1: YAML aliases expand too far");
  });

  test("a file that is not UTF-8 names the line and column of the first bad byte", () => {
    const bytes = Buffer.concat([
      Buffer.from("name: Demo\ndescription: caf"),
      Buffer.from([0xe9]),
      Buffer.from("\n"),
    ]);
    expect(problemsOf(rootWith(bytes))).toEqual([
      "experiments/exp.yaml:2:17: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ]);
  });
});

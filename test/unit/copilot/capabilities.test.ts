import { describe, expect, test } from "bun:test";
import {
  describeMissing,
  feature,
  hasFeature,
  missingFeatures,
  requiredFeatures,
} from "../../../src/copilot/capabilities.ts";
import { loadExperiments } from "../../../src/experiment/load.ts";
import { tempDir, writeTree } from "../../helpers/tmp.ts";

describe("features from the CLI's help", () => {
  const help =
    "Usage: copilot [options]\n  --model <model>  the model\n  -p, --prompt <text>\n  --agent <agent>\n";

  test("a flag counts only as a whole option: --model does not make --mode", () => {
    const probe = { version: "1.0.99", help, environmentHelp: "`COPILOT_HOME`: state" };
    expect(hasFeature(probe, feature("agent"))).toBe(true);
    expect(hasFeature(probe, feature("mode"))).toBe(false);
    expect(hasFeature(probe, feature("provider"))).toBe(false);
  });

  test("without readable help, the version table decides; an unreadable version decides nothing", () => {
    expect(hasFeature({ version: "1.0.22" }, feature("mode"))).toBe(false);
    expect(hasFeature({ version: "1.0.23" }, feature("mode"))).toBe(true);
    expect(hasFeature({ version: "1.0.30-2" }, feature("mode"))).toBe(true);
    expect(hasFeature({ version: "nightly" }, feature("mode"))).toBeUndefined();
  });
});

describe("what an experiment needs", () => {
  const root = writeTree(tempDir("cx-caps-"), {
    "fixtures/app/README.md": "x\n",
    "experiments/x.yaml": `name: X
task: {prompt: p, fixture: fixtures/app}
variants:
  - {name: plain, model: gpt-5}
  - {name: effort, model: gpt-5, reasoning_effort: high, mode: plan}
  - {name: byok, provider: {base_url: "http://127.0.0.1:9/v1", model_id: m}}
`,
  });
  const [experiment] = loadExperiments(root, [], {});

  test("every trial's features, plus each variant's, with who uses them", () => {
    const required = requiredFeatures([experiment!], { allScripted: false });
    const byId = Object.fromEntries(required.map((r) => [r.feature.id, r.usedBy]));
    expect(byId.outputJson).toEqual(["every trial"]);
    expect(byId.reasoningEffort).toEqual(["variant effort of x"]);
    expect(byId.mode).toEqual(["variant effort of x"]);
    expect(byId.provider).toEqual(["variant byok of x"]);
    expect(byId.agent).toBeUndefined();
    // --dry-run --with-copilot routes every variant to the scripted provider.
    const scripted = requiredFeatures([experiment!], { allScripted: true });
    expect(scripted.find((r) => r.feature.id === "provider")?.usedBy).toHaveLength(3);
  });

  test("a CLI without BYOK and --mode: both named, with the version and the first version that has each", () => {
    const probe = {
      version: "0.0.371",
      help: "  --help\n  --output-format\n  --session-id\n  --share\n  --log-dir\n  --no-auto-update\n  --secret-env-vars\n  --reasoning-effort\n",
      environmentHelp: "COPILOT_OTEL_FILE_EXPORTER_PATH",
    };
    const missing = missingFeatures(probe, requiredFeatures([experiment!], { allScripted: false }));
    expect(missing.map((m) => m.feature.id)).toEqual(["provider", "mode"]);
    expect(describeMissing(missing[1]!)).toBe(
      "--mode — not in 0.0.371; first version that has it: 1.0.23; used by variant effort of x",
    );
  });
});

import { afterAll, describe, expect, test } from "bun:test";
import { BUILTIN_SCRIPTS, loadScript, type Script } from "../../../../src/copilot/fakes/script.ts";
import {
  resolveArguments,
  startScriptedProvider,
  workingDirectoryOf,
} from "../../../../src/copilot/fakes/scripted-provider.ts";
import { UserError } from "../../../../src/errors.ts";
import { tempDir, writeTree } from "../../../helpers/tmp.ts";

const script: Script = {
  model: "sp-test",
  steps: [
    {
      tool: "view",
      args: { path: "src/a.py" },
      usage: { input: 1200, output: 30, cached: 1000, reasoning: 7 },
    },
    {
      tools: [
        { tool: "bash", args: { command: "cat {{cwd}}/x" } },
        { tool: "glob", args: { pattern: "*" } },
      ],
    },
    { message: "done here" },
  ],
  tasks: { special: [{ message: "special task answer" }] },
  final_message: "All done.",
};
const provider = startScriptedProvider(new Map([["v1", script]]), { record: true });
afterAll(() => provider.stop());

const system = {
  role: "system",
  content: "intro\n* Current working directory: /srv/ws\n* Git repository root: /srv/ws",
};
const user = { role: "user", content: "fix it" };
const assistant = { role: "assistant", content: "" };

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
type Body = any;
const body = async (res: Response): Promise<Body> => res.json();

async function chat(task: string, messages: object[], stream = false) {
  return fetch(`${provider.baseUrl("v1", task)}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "sp-test", messages, stream }),
  });
}

describe("scripted provider", () => {
  test("the step is chosen by the number of assistant turns so far", async () => {
    const first = await body(await chat("t", [system, user]));
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const call = first.choices[0].message.tool_calls[0];
    expect(call.function.name).toBe("view");
    // Relative paths resolve against the working directory from the system prompt.
    expect(JSON.parse(call.function.arguments)).toEqual({ path: "/srv/ws/src/a.py" });
    expect(first.usage).toEqual({
      prompt_tokens: 1200,
      completion_tokens: 30,
      total_tokens: 1230,
      prompt_tokens_details: { cached_tokens: 1000 },
      completion_tokens_details: { reasoning_tokens: 7 },
    });

    const second = await body(await chat("t", [system, user, assistant, { role: "tool", content: "x" }]));
    const calls = second.choices[0].message.tool_calls;
    expect(calls.map((c: { function: { name: string } }) => c.function.name)).toEqual(["bash", "glob"]);
    expect(JSON.parse(calls[0].function.arguments).command).toBe("cat /srv/ws/x");

    const third = await body(await chat("t", [system, user, assistant, assistant]));
    expect(third.choices[0].message.content).toBe("done here");
    expect(third.choices[0].finish_reason).toBe("stop");
    const after = await body(await chat("t", [system, user, assistant, assistant, assistant]));
    expect(after.choices[0].message.content).toBe("All done.");
  });

  test("per-task steps override the default steps", async () => {
    const special = await body(await chat("special", [system, user]));
    expect(special.choices[0].message.content).toBe("special task answer");
  });

  test("streaming answers are server-sent events ending in usage and [DONE]", async () => {
    const res = await chat("t", [system, user], true);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    const events = text
      .split("\n\n")
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ""));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks[0].choices[0].delta.tool_calls[0]).toMatchObject({ index: 0, function: { name: "view" } });
    expect(chunks.at(-1).usage.prompt_tokens).toBe(1200);
  });

  test("requests are recorded; unknown scripts are 404", async () => {
    expect(provider.requests.length).toBeGreaterThan(0);
    expect(provider.requests[0]).toMatchObject({ key: "v1", task: "t" });
    const res = await fetch(provider.baseUrl("nope", "t").replace(/\/v1$/, "/v1/chat/completions"), {
      method: "POST",
      body: "{}",
    });
    expect(res.status).toBe(404);
    const models = await body(await fetch(`${provider.baseUrl("v1", "t")}/models`));
    expect(models.data[0].id).toBe("sp-test");
  });

  test("an error step answers with that HTTP status", async () => {
    const p = startScriptedProvider(
      new Map([
        ["e", { steps: [{ error: { status: 401, message: "bad key" } }], tasks: {}, final_message: "x" }],
      ]),
    );
    const res = await fetch(`${p.baseUrl("e", "t")}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: [] }),
    });
    expect(res.status).toBe(401);
    expect((await body(res)).error.message).toBe("bad key");
    await p.stop();
  });
});

describe("scripts", () => {
  test("helpers", () => {
    expect(workingDirectoryOf([system])).toBe("/srv/ws");
    expect(workingDirectoryOf([user])).toBeUndefined();
    expect(resolveArguments({ path: "/abs", file_path: "rel", other: "rel" }, "/w")).toEqual({
      path: "/abs",
      file_path: "/w/rel",
      other: "rel",
    });
  });

  test("built-in scripts load by name; files are validated", () => {
    expect(loadScript("idle")).toBe(BUILTIN_SCRIPTS.idle!);
    expect(() => loadScript("nope")).toThrow(UserError);
    const dir = writeTree(tempDir(), {
      "ok.yaml": "steps:\n  - tool: bash\n    args: {command: ls}\n  - message: hi\n",
      "bad.yaml": "steps:\n  - tool: bash\n    message: both\n    tools: []\n",
      "typo.yaml": "stepz: []\n",
    });
    expect(loadScript("ok.yaml", `${dir}/ok.yaml`).steps).toHaveLength(2);
    expect(() => loadScript("bad.yaml", `${dir}/bad.yaml`)).toThrow(
      /exactly one of tool, tools, message or error/,
    );
    expect(() => loadScript("typo.yaml", `${dir}/typo.yaml`)).toThrow(/invalid script typo.yaml/);
  });
});

/**
 * An ATIF-v1.7 checker written from the RFC's field tables (Harbor RFC 0001), independent of the
 * zod schema the product writes with: required fields and their types, the closed field lists
 * of each object, sequential step ids, agent-only fields on agent steps only, observation results
 * tied to a tool call of their own step, cached ≤ prompt tokens, and embedded sub-agent
 * trajectories that carry a unique `trajectory_id` every reference resolves to. Returns the
 * problems found (empty: valid).
 */

type J = Record<string, unknown>;

const isObj = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

const ROOT = [
  "schema_version",
  "session_id",
  "trajectory_id",
  "agent",
  "steps",
  "notes",
  "final_metrics",
  "continued_trajectory_ref",
  "subagent_trajectories",
  "extra",
];
const AGENT = ["name", "version", "model_name", "tool_definitions", "extra"];
const STEP = [
  "step_id",
  "timestamp",
  "source",
  "model_name",
  "reasoning_effort",
  "message",
  "reasoning_content",
  "tool_calls",
  "observation",
  "metrics",
  "is_copied_context",
  "llm_call_count",
  "extra",
];
const AGENT_ONLY = ["model_name", "reasoning_effort", "reasoning_content", "tool_calls", "metrics"];
const TOOL_CALL = ["tool_call_id", "function_name", "arguments", "extra"];
const RESULT = ["source_call_id", "content", "subagent_trajectory_ref", "extra"];
const REF = ["trajectory_id", "session_id", "trajectory_path", "extra"];
const METRICS = [
  "prompt_tokens",
  "completion_tokens",
  "cached_tokens",
  "cost_usd",
  "prompt_token_ids",
  "completion_token_ids",
  "logprobs",
  "extra",
];
const FINAL = [
  "total_prompt_tokens",
  "total_completion_tokens",
  "total_cached_tokens",
  "total_cost_usd",
  "total_steps",
  "extra",
];

function closed(where: string, o: J, allowed: string[], out: string[]) {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) out.push(`${where}: unknown field ${k}`);
}

export function atifProblems(t: unknown, where = "trajectory", embedded = false): string[] {
  const out: string[] = [];
  if (!isObj(t)) return [`${where}: not an object`];
  closed(where, t, ROOT, out);
  if (t.schema_version !== "ATIF-v1.7") out.push(`${where}: schema_version is ${String(t.schema_version)}`);
  if (t.session_id !== undefined && typeof t.session_id !== "string") out.push(`${where}: session_id`);
  if (embedded && typeof t.trajectory_id !== "string") out.push(`${where}: embedded without trajectory_id`);
  if (!isObj(t.agent)) out.push(`${where}: agent missing`);
  else {
    closed(`${where}.agent`, t.agent, AGENT, out);
    if (typeof t.agent.name !== "string") out.push(`${where}.agent.name`);
    if (typeof t.agent.version !== "string") out.push(`${where}.agent.version`);
  }
  if (!Array.isArray(t.steps)) return [...out, `${where}: steps missing`];
  t.steps.forEach((s, i) => {
    out.push(...stepProblems(s, i, `${where}.steps[${i}]`));
  });
  if (t.final_metrics !== undefined) {
    if (!isObj(t.final_metrics)) out.push(`${where}.final_metrics`);
    else {
      closed(`${where}.final_metrics`, t.final_metrics, FINAL, out);
      for (const k of [
        "total_prompt_tokens",
        "total_completion_tokens",
        "total_cached_tokens",
        "total_steps",
      ])
        if (t.final_metrics[k] !== undefined && !isInt(t.final_metrics[k]))
          out.push(`${where}.final_metrics.${k}`);
    }
  }
  const subIds = new Set<string>();
  if (t.subagent_trajectories !== undefined) {
    if (!Array.isArray(t.subagent_trajectories)) out.push(`${where}.subagent_trajectories`);
    else
      t.subagent_trajectories.forEach((sub, i) => {
        const w = `${where}.subagent_trajectories[${i}]`;
        out.push(...atifProblems(sub, w, true));
        const id = isObj(sub) ? sub.trajectory_id : undefined;
        if (typeof id === "string") {
          if (subIds.has(id)) out.push(`${w}: duplicate trajectory_id ${id}`);
          subIds.add(id);
        }
      });
  }
  // Every embedded reference resolves to one of this document's sub-agent trajectories.
  for (const ref of refsOf(t.steps)) {
    if (typeof ref.trajectory_id !== "string" && typeof ref.trajectory_path !== "string")
      out.push(`${where}: a subagent reference without trajectory_id or trajectory_path`);
    if (typeof ref.trajectory_id === "string" && !subIds.has(ref.trajectory_id))
      out.push(`${where}: reference to unknown trajectory ${ref.trajectory_id}`);
  }
  return out;
}

function stepProblems(s: unknown, i: number, w: string): string[] {
  const out: string[] = [];
  if (!isObj(s)) return [`${w}: not an object`];
  closed(w, s, STEP, out);
  if (s.step_id !== i + 1) out.push(`${w}: step_id ${String(s.step_id)}, expected ${i + 1}`);
  if (!["system", "user", "agent"].includes(s.source as string)) out.push(`${w}: source`);
  if (typeof s.message !== "string") out.push(`${w}: message`);
  if (s.source !== "agent")
    for (const k of AGENT_ONLY) if (s[k] !== undefined) out.push(`${w}: ${k} on a ${String(s.source)} step`);
  const ids = new Set<string>();
  if (s.tool_calls !== undefined) {
    if (!Array.isArray(s.tool_calls)) out.push(`${w}.tool_calls`);
    else
      for (const [j, c] of s.tool_calls.entries()) {
        const cw = `${w}.tool_calls[${j}]`;
        if (!isObj(c)) {
          out.push(cw);
          continue;
        }
        closed(cw, c, TOOL_CALL, out);
        if (typeof c.tool_call_id !== "string") out.push(`${cw}.tool_call_id`);
        else ids.add(c.tool_call_id);
        if (typeof c.function_name !== "string") out.push(`${cw}.function_name`);
        if (!isObj(c.arguments)) out.push(`${cw}.arguments is not an object`);
      }
  }
  if (s.observation !== undefined) {
    if (!isObj(s.observation) || !Array.isArray(s.observation.results)) out.push(`${w}.observation`);
    else
      for (const [j, r] of s.observation.results.entries()) {
        const rw = `${w}.observation.results[${j}]`;
        if (!isObj(r)) {
          out.push(rw);
          continue;
        }
        closed(rw, r, RESULT, out);
        if (typeof r.source_call_id === "string" && !ids.has(r.source_call_id))
          out.push(`${rw}: source_call_id ${r.source_call_id} is not a tool call of this step`);
        if (r.content !== undefined && r.content !== null && typeof r.content !== "string")
          out.push(`${rw}.content`);
        for (const ref of (r.subagent_trajectory_ref as unknown[]) ?? [])
          if (isObj(ref)) closed(`${rw}.subagent_trajectory_ref`, ref, REF, out);
      }
  }
  if (s.metrics !== undefined) {
    if (!isObj(s.metrics)) out.push(`${w}.metrics`);
    else {
      closed(`${w}.metrics`, s.metrics, METRICS, out);
      for (const k of ["prompt_tokens", "completion_tokens", "cached_tokens"])
        if (s.metrics[k] !== undefined && !isInt(s.metrics[k])) out.push(`${w}.metrics.${k}`);
      const { prompt_tokens: p, cached_tokens: c } = s.metrics;
      if (typeof p === "number" && typeof c === "number" && c > p)
        out.push(`${w}: cached_tokens > prompt_tokens`);
    }
  }
  if (s.llm_call_count === 0 && (s.metrics !== undefined || s.reasoning_content !== undefined))
    out.push(`${w}: llm_call_count 0 with metrics or reasoning`);
  return out;
}

function refsOf(steps: unknown[]): J[] {
  const refs: J[] = [];
  for (const s of steps) {
    const results = isObj(s) && isObj(s.observation) ? s.observation.results : undefined;
    for (const r of Array.isArray(results) ? results : [])
      for (const ref of (isObj(r) && Array.isArray(r.subagent_trajectory_ref)
        ? r.subagent_trajectory_ref
        : []) as unknown[])
        if (isObj(ref)) refs.push(ref);
  }
  return refs;
}

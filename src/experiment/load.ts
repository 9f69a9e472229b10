import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { UserError } from "../errors.ts";
import { isSecretName, redactDefinition } from "../secrets/redact.ts";
import { sha256Hex } from "../util/hash.ts";
import { NotUtf8Error, readUtf8File } from "../util/text-file.ts";
import { interpolate, type PathSegment } from "./interpolate.ts";
import { describeValue, type Problem, problemsFromZod } from "./problems.ts";
import {
  type ExperimentFile,
  ExperimentSchema,
  type KeepWorkspaces,
  LIMITS,
  type SandboxMode,
  type Task,
  type Variant,
} from "./schema.ts";
import { uniqueSlugs } from "./slug.ts";
import { yamlHint } from "./yaml-hints.ts";
import { formatPath, locate } from "./yaml-locate.ts";

export interface ResolvedTask extends Task {
  slug: string;
  /** Absolute fixture folder, when the task uses `fixture`. */
  fixture_path?: string;
}

export interface ResolvedVariant extends Variant {
  slug: string;
  /** Position in the file's `variants` list. */
  index: number;
  overlay_path?: string;
  copilot_home_path?: string;
  /** Absolute script file, when `provider.script` names a file rather than a built-in. */
  script_path?: string;
  /** Names of `env` keys that carry secrets (secret-looking name, or value read from `${VAR}`). */
  secret_env_keys: string[];
}

export interface Experiment {
  name: string;
  slug: string;
  description?: string;
  concurrency?: number;
  /** Where trials run (README, Sandbox); `auto` is resolved per run. */
  sandbox: SandboxMode;
  /** Absolute paths a sandboxed trial may also write. */
  sandbox_writable: string[];
  /** Which trials keep their workspace (`run --keep-workspaces` overrides it). */
  keep_workspaces?: KeepWorkspaces;
  /** Absolute experiment root. */
  root: string;
  /** Path of the YAML file relative to the root. */
  file: string;
  tasks: ResolvedTask[];
  variants: ResolvedVariant[];
  /** The validated definition with secrets masked: what run.json stores and what is hashed. */
  redacted: ExperimentFile;
  /** sha256 of the redacted definition: changes when the experiment changes. */
  hash: string;
  /** Environment variables read by `${VAR}` interpolation. */
  variables_read: string[];
  /** Dotted paths (`variants.0.env.KEY`) of values that are secrets: masked when stored. */
  secret_paths: ReadonlySet<string>;
}

export const EXPERIMENTS_DIR = "experiments";

/** `experiments/*.yaml|*.yml` under the root, sorted by file name. */
export function discoverExperimentFiles(root: string): string[] {
  const dir = join(root, EXPERIMENTS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const BUILTIN_SCRIPT = /^[a-z][a-z0-9-]*$/;

const outside = (base: string, path: string) => {
  const rel = relative(base, path);
  return rel.startsWith("..") || isAbsolute(rel);
};

/**
 * A folder or file named by the experiment: it must be inside the root, exist, be of the right
 * kind, and not lead out of the root through a symlink — the harness copies and runs what it
 * names, and must never touch a folder outside (README, Security model).
 */
function checkInRoot(
  root: string,
  value: string,
  path: PathSegment[],
  what: string,
  kind: "folder" | "file",
  out: Problem[],
) {
  const abs = resolve(root, value);
  if (isAbsolute(value) || outside(root, abs)) {
    out.push({
      path,
      message: `${what} ${JSON.stringify(value)} is outside the experiment root; use a path inside it`,
    });
    return undefined;
  }
  if (!existsSync(abs)) {
    out.push({
      path,
      message: `${what} ${kind} ${JSON.stringify(value)} does not exist (looked for ${relative(root, abs) || "."})`,
    });
    return undefined;
  }
  const real = realpathSync(abs);
  if (outside(realpathSync(root), real)) {
    out.push({
      path,
      message: `${what} ${JSON.stringify(value)} leads through a symlink to ${real}, outside the experiment root; copy it into the root instead (links inside a fixture stay links)`,
    });
    return undefined;
  }
  const isFolder = statSync(real).isDirectory();
  if (kind === "folder" ? !isFolder : !statSync(real).isFile()) {
    out.push({ path, message: `${what} ${JSON.stringify(value)} is not a ${kind}` });
    return undefined;
  }
  return abs;
}

type Raw = Record<string, unknown>;

const asRecord = (v: unknown): Raw | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Raw) : undefined;

/**
 * Problems that need the file system or cross-field knowledge. Checked on the raw data, so they
 * are reported together with schema problems, and only where the field has the right type.
 */
function checkReferences(root: string, data: Raw, problems: Problem[]): void {
  const taskEntries: [Raw, PathSegment[]][] = [];
  const single = asRecord(data.task);
  if (single) taskEntries.push([single, ["task"]]);
  if (Array.isArray(data.tasks)) {
    data.tasks.forEach((t, i) => {
      const task = asRecord(t);
      if (task) taskEntries.push([task, ["tasks", i]]);
    });
  }
  for (const [task, path] of taskEntries) {
    if (typeof task.fixture === "string") {
      checkInRoot(root, task.fixture, [...path, "fixture"], "fixture", "folder", problems);
    }
    if (task.fixture === undefined && task.repo === undefined) {
      problems.push({
        path,
        message: "a task needs a starting workspace: `fixture` (a folder) or `repo` (git)",
      });
    }
  }
  const variants = Array.isArray(data.variants) ? data.variants : [];
  variants.forEach((v, i) => {
    const variant = asRecord(v);
    if (!variant) return;
    const path: PathSegment[] = ["variants", i];
    for (const field of ["overlay", "copilot_home"] as const) {
      const value = variant[field];
      if (typeof value === "string") checkInRoot(root, value, [...path, field], field, "folder", problems);
    }
    const script = asRecord(variant.provider)?.script;
    if (typeof script === "string" && !BUILTIN_SCRIPT.test(script)) {
      checkInRoot(root, script, [...path, "provider", "script"], "script", "file", problems);
    }
  });
}

/** Slugs and absolute paths for a validated definition (all references already checked). */
function resolveDefinition(root: string, def: ExperimentFile) {
  const tasks = def.tasks ?? (def.task ? [def.task] : []);
  const taskSlugs = uniqueSlugs(
    tasks.map((t) => t.name),
    "task",
  );
  const variantSlugs = uniqueSlugs(
    def.variants.map((v) => v.name),
    "variant",
  );
  const inRoot = (p: string | undefined) => (p === undefined ? undefined : resolve(root, p));
  const resolvedTasks: ResolvedTask[] = tasks.map((task, i) => ({
    ...task,
    slug: taskSlugs[i]!,
    fixture_path: inRoot(task.fixture),
  }));
  const variants: ResolvedVariant[] = def.variants.map((variant, i) => {
    const script = variant.provider?.script;
    return {
      ...variant,
      slug: variantSlugs[i]!,
      index: i,
      overlay_path: inRoot(variant.overlay),
      copilot_home_path: inRoot(variant.copilot_home),
      script_path: script !== undefined && !BUILTIN_SCRIPT.test(script) ? resolve(root, script) : undefined,
      secret_env_keys: [],
    };
  });
  return { tasks: resolvedTasks, variants };
}

interface ParsedFile {
  experiment?: Experiment;
  messages: string[];
}

/** Parse, interpolate, validate and resolve one experiment file; every problem becomes a message. */
export function parseExperimentFile(
  file: string,
  root: string,
  env: Record<string, string | undefined> = process.env,
): ParsedFile {
  const rel = relative(root, file) || file;
  let text: string;
  try {
    text = readUtf8File(file, rel);
  } catch (err) {
    if (err instanceof NotUtf8Error) return { messages: [err.message] };
    throw err;
  }
  const lines = new LineCounter();
  // logLevel "error": the library would print its warnings with process.emitWarning, past the
  // output guard (docs/adr/0019-stdio-without-streams.md); what matters is reported as problems.
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: "error",
  });
  const at = (path: PathSegment[], key?: string) => {
    const pos = locate(doc, lines, path, key);
    return `${rel}:${pos.line}:${pos.col}`;
  };
  if (doc.errors.length > 0) {
    // The first error only: what the parser reads after it follows from it.
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
    const hint = yamlHint(e.code, text.split("\n")[pos.line - 1] ?? "");
    const more = doc.errors.length > 1 ? "; fix it first, later errors may follow from it" : "";
    return {
      messages: [
        `${rel}:${pos.line}:${pos.col}: YAML syntax error: ${hint} (the parser says: ${e.message.split("\n")[0]}${more})`,
      ],
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // The yaml library stops a document whose aliases would expand without bound.
    return {
      messages: [
        `${rel}:1:1: YAML aliases expand too far (${(err as Error).message.split("\n")[0]}); write the values out or use fewer nested anchors`,
      ],
    };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return {
      messages: [
        `${rel}:1:1: expected a mapping with \`name\`, \`task\` or \`tasks\` and \`variants\`; found ${describeValue(raw)}`,
      ],
    };
  }

  const problems: Problem[] = [];
  const { value: data, problems: unset, variablesRead, interpolatedPaths } = interpolate(raw, env);
  for (const p of unset) {
    problems.push({
      path: p.path,
      message: `environment variable ${p.variable} is not set; export it or write \${${p.variable}:-default}`,
    });
  }
  if ("task" in data && "tasks" in data) {
    problems.push({
      path: ["tasks"],
      unknownKey: "tasks",
      message: "give either `task` (one) or `tasks` (a list), not both",
    });
  } else if (!("task" in data) && !("tasks" in data)) {
    problems.push({ path: [], message: "missing `task` (one task) or `tasks` (a list of tasks)" });
  }

  checkReferences(root, data as Raw, problems);
  const parsed = ExperimentSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    // An unset variable already explains the value at its path: do not report it twice.
    const unsetPaths = new Set(unset.map((p) => p.path.join(".")));
    problems.push(
      ...problemsFromZod(parsed.error.issues, data).filter((p) => !unsetPaths.has(p.path.join("."))),
    );
  }

  if (parsed.success) {
    const def = parsed.data;
    const tasks = (def.tasks ?? (def.task ? [def.task] : [])).length;
    const cells = def.variants.reduce((sum, v) => sum + v.trials, 0) * tasks;
    if (cells > LIMITS.cells) {
      problems.push({
        path: ["variants"],
        message: `${cells} trials in all (variants × tasks × trials); the limit is ${LIMITS.cells}: split the study into several experiments`,
      });
    }
  }

  let experiment: Experiment | undefined;
  if (parsed.success && problems.length === 0) {
    const def = parsed.data;
    const resolved = resolveDefinition(root, def);
    // Secret paths: values interpolated from secret-looking variables, or from any variable into
    // an env value (an env value read from the environment is treated as a secret).
    const secretPaths = new Set<string>();
    for (const path of interpolatedPaths) {
      const segments = path.split(".");
      const inEnv = segments.includes("env") || segments.includes("headers");
      const text = JSON.stringify(valueAtPath(raw, segments));
      const readsSecret = [...variablesRead].some((v) => isSecretName(v) && text.includes(v));
      if (inEnv || readsSecret) secretPaths.add(path);
    }
    for (const [i, variant] of resolved.variants.entries()) {
      variant.secret_env_keys = Object.keys(variant.env).filter(
        (k) => isSecretName(k) || secretPaths.has(`variants.${i}.env.${k}`),
      );
    }
    const redacted = redactDefinition(def, { secretPaths });
    experiment = {
      name: def.name,
      slug: "",
      description: def.description,
      concurrency: def.concurrency,
      sandbox: def.sandbox,
      sandbox_writable: def.sandbox_writable.map((p) => writablePath(root, p)),
      keep_workspaces: def.keep_workspaces,
      root,
      file: rel,
      tasks: resolved.tasks,
      variants: resolved.variants,
      redacted,
      hash: sha256Hex(stableStringify(redacted)),
      variables_read: [...variablesRead].sort(),
      secret_paths: secretPaths,
    };
  }
  const messages = problems.map(
    (p) => `${at(p.path, p.unknownKey)}: ${p.path.length ? `${formatPath(p.path)}: ` : ""}${p.message}`,
  );
  return { experiment: messages.length ? undefined : experiment, messages };
}

/** A `sandbox_writable` entry as an absolute path: `~/…` is the home folder, relative is the root's. */
function writablePath(root: string, path: string): string {
  if (path === "~" || path.startsWith("~/")) return join(homedir(), path.slice(1));
  return resolve(root, path);
}

function valueAtPath(root: unknown, segments: string[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[s];
  }
  return node;
}

/** The error of experiment files that do not load: every problem, one line each (exit 2). */
export function invalid(messages: string[]): UserError {
  const files = new Set(messages.map((m) => m.split(":")[0]));
  return new UserError(
    `${messages.length} problem${messages.length === 1 ? "" : "s"} in ${[...files].join(", ")}`,
    { details: messages, hint: "Fix the fields above; `copilot-experiments schema` prints the full format." },
  );
}

/** Every experiment file under the root, parsed; slugs given to those that are valid. */
function parseAll(absRoot: string, files: string[], env: Record<string, string | undefined>) {
  const results = files.map((f) => ({ file: f, ...parseExperimentFile(f, absRoot, env) }));
  const all = results.flatMap((r) => (r.experiment ? [r.experiment] : []));
  const slugs = uniqueSlugs(
    all.map((e) => e.name),
    "experiment",
  );
  all.forEach((e, i) => {
    e.slug = slugs[i]!;
  });
  return results;
}

/** A file that could not be loaded, with every problem in it. */
export interface BrokenExperimentFile {
  /** Relative to the root. */
  file: string;
  messages: string[];
}

/**
 * Every experiment under `root` that loads, and the problems of those that do not: for
 * commands that show what is there (`list`), where one broken file must not hide the rest.
 */
export function scanExperiments(
  root: string,
  env: Record<string, string | undefined> = process.env,
): { experiments: Experiment[]; broken: BrokenExperimentFile[] } {
  const absRoot = resolve(root);
  const results = parseAll(absRoot, discoverExperimentFiles(absRoot), env);
  return {
    experiments: results.flatMap((r) => (r.experiment ? [r.experiment] : [])),
    broken: results
      .filter((r) => r.messages.length > 0)
      .map((r) => ({ file: relative(absRoot, r.file), messages: r.messages })),
  };
}

/**
 * Load the experiments under `root` (all, or those whose name, slug or file stem is in `names`).
 * Throws one UserError listing every problem of every selected file; nothing is written.
 */
export function loadExperiments(
  root: string,
  names: readonly string[] = [],
  env: Record<string, string | undefined> = process.env,
): Experiment[] {
  const absRoot = resolve(root);
  const files = discoverExperimentFiles(absRoot);
  if (files.length === 0) {
    throw new UserError(`no experiment files found in ${join(absRoot, EXPERIMENTS_DIR)}`, {
      hint: "Put experiments in experiments/*.yaml under --root, or create a starter with `copilot-experiments init DIR`.",
    });
  }
  const results = parseAll(absRoot, files, env);

  let selected = results;
  if (names.length > 0) {
    const stem = (f: string) => f.replace(/^.*[\\/]/, "").replace(/\.ya?ml$/i, "");
    const matches = (r: (typeof results)[number], n: string) =>
      stem(r.file) === n || r.experiment?.name === n || r.experiment?.slug === n;
    const unknown = names.filter((n) => !results.some((r) => matches(r, n)));
    if (unknown.length) {
      const known = results.map((r) => r.experiment?.slug ?? stem(r.file));
      throw new UserError(`unknown experiment ${unknown.map((n) => JSON.stringify(n)).join(", ")}`, {
        hint: `Experiments under ${absRoot}: ${known.join(", ")}`,
      });
    }
    selected = results.filter((r) => names.some((n) => matches(r, n)));
  }
  const messages = selected.flatMap((r) => r.messages);
  if (messages.length) throw invalid(messages);
  return selected.map((r) => r.experiment!);
}

import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { experimentJsonSchema } from "../experiment/json-schema.ts";
import { Redactor } from "../secrets/redact.ts";
import { writeOutput } from "../store/writer.ts";
import {
  exampleExperiment,
  GITIGNORE,
  GREETER,
  readme,
  SCHEMA_FILE,
  SCRIPT,
  SCRIPT_FILE,
} from "./templates.ts";

/** Scaffold a working experiment repository in `dir`; returns the files written (relative). */
export function scaffold(dir: string, opts: { name?: string; force?: boolean } = {}): string[] {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0 && !opts.force) {
    throw new UserError(`${dir} is not empty`, {
      hint: "Choose a new or empty folder, or pass --force to write the starter files into it (existing files with the same names are replaced).",
    });
  }
  const name = opts.name ?? (basename(target) || "my-experiments");
  const files: Record<string, string> = {
    "experiments/example.yaml": exampleExperiment(name),
    [SCRIPT_FILE]: SCRIPT,
    [SCHEMA_FILE]: `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`,
    ...GREETER,
    ".gitignore": GITIGNORE,
    "README.md": readme(name),
  };
  mkdirSync(target, { recursive: true });
  // A new root holds no secret: nothing to redact.
  for (const [rel, content] of Object.entries(files)) writeOutput(join(target, rel), content, Redactor.none);
  return Object.keys(files);
}

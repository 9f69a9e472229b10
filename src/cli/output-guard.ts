import { environmentSecrets, Redactor } from "../secrets/redact.ts";
import { filterOutput } from "../util/stdio.ts";

/**
 * The one point every printed line goes through (README, Secrets): stdout and stderr of the CLI
 * are written through a redactor holding every secret value the process knows — those of its
 * environment from the start, and those a command learns later (an experiment's provider keys).
 * They are written through util/stdio.ts, which applies the redactor: `console.*` and the
 * `process.stdout` / `process.stderr` streams would bypass it, so the linter forbids the first
 * under src/ and a test the others (but for --version and --help, which print only the
 * program's own text).
 */

// The environment's secrets from the start, also where the guard is not installed (in-process use).
let secrets: string[] = environmentSecrets(process.env);
let redactor = new Redactor(secrets);

/** The redactor of everything printed: JSON printers use it to redact values before escaping. */
export function outputRedactor(): Redactor {
  return redactor;
}

/** Add secret values to scrub from everything printed from now on. */
export function addOutputSecrets(values: Iterable<string | undefined>): void {
  const added = [...values].filter((v): v is string => !!v);
  if (added.length === 0) return;
  secrets = [...secrets, ...added];
  redactor = new Redactor(secrets);
}

let installed = false;

/** Route stdout and stderr through the redactor (once per process). */
export function guardOutput(initial: Iterable<string | undefined>): void {
  addOutputSecrets(initial);
  if (installed) return;
  installed = true;
  filterOutput((text) => (redactor.size > 0 ? redactor.redact(text) : text));
}

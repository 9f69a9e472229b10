import { environmentSecrets, Redactor } from "../secrets/redact.ts";

/**
 * The one point every printed line goes through (README, Secrets): stdout and stderr of the CLI
 * are written through a redactor holding every secret value the process knows — those of its
 * environment from the start, and those a command learns later (an experiment's provider keys).
 * `console.*` would bypass it (Bun writes it directly): the linter forbids it under src/.
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

type Write = typeof process.stdout.write;

function guard(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (redactor.size > 0) {
      if (typeof chunk === "string") chunk = redactor.redact(chunk);
      else if (chunk instanceof Uint8Array) {
        const text = new TextDecoder().decode(chunk);
        if (redactor.leaks(text)) chunk = redactor.redact(text);
      }
    }
    return write(chunk, ...rest);
  }) as Write;
}

let installed = false;

/** Route stdout and stderr through the redactor (once per process). */
export function guardOutput(initial: Iterable<string | undefined>): void {
  addOutputSecrets(initial);
  if (installed) return;
  installed = true;
  guard(process.stdout);
  guard(process.stderr);
}

import { forEachLine } from "../session/reader.ts";

/** The diff stat of a stored unified diff (workspace.diff), streamed: any size, bounded memory. */

export interface DiffFileStat {
  path: string;
  added: number;
  removed: number;
  binary: boolean;
}

export interface DiffStat {
  files: DiffFileStat[];
  added: number;
  removed: number;
}

/** Files changed with lines added/removed, from a unified git diff (hunk lines only). */
export async function readDiffStat(path: string): Promise<DiffStat> {
  const files: DiffFileStat[] = [];
  let current: DiffFileStat | undefined;
  let inHunk = false;
  await forEachLine(path, (line) => {
    if (line.startsWith("diff --git ")) {
      const match = / b\/(.*)$/.exec(line);
      current = { path: match?.[1] ?? line.slice(11), added: 0, removed: 0, binary: false };
      files.push(current);
      inHunk = false;
    } else if (!current) {
      return;
    } else if (line.startsWith("@@")) {
      inHunk = true;
    } else if (!inHunk && line.startsWith("Binary files ")) {
      current.binary = true;
    } else if (inHunk && line.startsWith("+")) {
      current.added += 1;
    } else if (inHunk && line.startsWith("-")) {
      current.removed += 1;
    }
  });
  return {
    files,
    added: files.reduce((s, f) => s + f.added, 0),
    removed: files.reduce((s, f) => s + f.removed, 0),
  };
}

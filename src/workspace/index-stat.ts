import { type BigIntStats, lstatSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { digestBytes } from "../util/hash.ts";

/**
 * A workspace copied from a run's snapshot gets the snapshot's git index, whose stat data
 * (times, inode, device, owner) describe the snapshot's files, not the copies: git would read
 * and hash every file again to find them unchanged (every file of the fixture, for every
 * trial's baseline). The copies are byte for byte the snapshot's files, so their entries
 * get the copies' stat data instead, as a checkout would have written it. Only entries whose
 * file has the recorded type and size are touched; git's racy-entry check still re-reads any
 * file written in the same second as the index (docs/adr/0017-shared-snapshots-and-workspace-retention.md).
 *
 * Index versions 2 and 3 with SHA-1 names (docs of git: gitformat-index); anything else is
 * left as it is, and git then re-reads the files as before. Returns whether the index was updated.
 */

const HEADER = 12;
const HASH = 20;
/** ctime, mtime (seconds, nanoseconds), dev, ino, mode, uid, gid, size: 32 bits each. */
const STAT = 40;
const FLAGS = STAT + HASH;
const EXTENDED = 0x4000;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

const u32 = (n: bigint) => Number(n & 0xffffffffn);

export function restatIndex(indexPath: string, workTree: string): boolean {
  let data: Buffer;
  try {
    data = readFileSync(indexPath);
  } catch {
    return false;
  }
  if (data.length < HEADER + HASH || data.toString("latin1", 0, 4) !== "DIRC") return false;
  const version = data.readUInt32BE(4);
  if (version !== 2 && version !== 3) return false;
  const body = data.subarray(0, data.length - HASH);
  if (!digestBytes("sha1", body).equals(data.subarray(data.length - HASH))) return false;

  const count = data.readUInt32BE(8);
  let offset = HEADER;
  for (let i = 0; i < count; i++) {
    const flags = data.readUInt16BE(offset + FLAGS);
    const nameStart = offset + FLAGS + 2 + (flags & EXTENDED ? 2 : 0);
    const nameEnd = data.indexOf(0, nameStart);
    if (nameEnd < 0 || nameEnd >= body.length) return false;
    restatEntry(data, offset, flags, join(workTree, data.toString("utf8", nameStart, nameEnd)));
    // Entries are padded with 1–8 NULs to a multiple of 8 bytes.
    offset += (nameEnd - offset + 8) & ~7;
  }
  digestBytes("sha1", body).copy(data, data.length - HASH);
  writeFileSync(indexPath, data);
  return true;
}

function restatEntry(data: Buffer, offset: number, flags: number, path: string): void {
  const mode = data.readUInt32BE(offset + 24);
  const kind = mode & S_IFMT;
  // Staged conflicts and gitlinks (nested repositories) are git's to check.
  if ((flags & 0x3000) !== 0 || (kind !== S_IFREG && kind !== S_IFLNK)) return;
  let st: BigIntStats;
  try {
    st = lstatSync(path, { bigint: true });
  } catch {
    return;
  }
  const isLink = st.isSymbolicLink();
  if ((kind === S_IFLNK) !== isLink || (!isLink && !st.isFile())) return;
  if (u32(st.size) !== data.readUInt32BE(offset + 36)) return;
  const fields = [
    st.ctimeNs / 1_000_000_000n,
    st.ctimeNs % 1_000_000_000n,
    st.mtimeNs / 1_000_000_000n,
    st.mtimeNs % 1_000_000_000n,
    st.dev,
    st.ino,
  ];
  for (const [i, value] of fields.entries()) data.writeUInt32BE(u32(value), offset + i * 4);
  data.writeUInt32BE(u32(st.uid), offset + 28);
  data.writeUInt32BE(u32(st.gid), offset + 32);
}

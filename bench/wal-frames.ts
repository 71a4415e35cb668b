// Which B-trees an SQLite file's WAL frames belong to: reads the frame headers of the WAL's current
// generation (from a byte offset, or from its start when it restarted since) and names each frame's page
// with the dbstat table. A scratch measure for bench/burst-drain.ts (BURST_WAL=1): with the processor's
// checkpoints on, a generation holds the frames since the last one, a sample of the drain, not all of it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import SQLite from 'better-sqlite3';

export interface WalFrames {
  frames: number;
  commits: number;
  /** Whether the WAL restarted after `from`, so the count starts at its beginning. */
  restarted: boolean;
  byTree: Array<{ name: string; frames: number }>;
}

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export function walFrames(databaseFile: string, from = 0): WalFrames {
  const fd = openSync(`${databaseFile}-wal`, 'r');
  try {
    const head = Buffer.alloc(WAL_HEADER);
    readSync(fd, head, 0, WAL_HEADER, 0);
    const size = fstatSync(fd).size;
    const frameSize = FRAME_HEADER + head.readUInt32BE(8);
    const salt = head.readUInt32BE(16);
    const frame = Buffer.alloc(FRAME_HEADER);
    // A frame of the current generation carries the header's salt; a stale one (before a restart) not.
    const current = (at: number) => {
      if (at + frameSize > size) return false;
      readSync(fd, frame, 0, FRAME_HEADER, at);
      return frame.readUInt32BE(8) === salt;
    };
    let at = WAL_HEADER + Math.max(0, Math.ceil((from - WAL_HEADER) / frameSize)) * frameSize;
    const restarted = !current(at);
    if (restarted) at = WAL_HEADER;
    const owner = pageOwners(databaseFile);
    const byTree = new Map<string, number>();
    let frames = 0;
    let commits = 0;
    for (; current(at); at += frameSize) {
      const name = owner.get(frame.readUInt32BE(0)) ?? '(free or new)';
      byTree.set(name, (byTree.get(name) ?? 0) + 1);
      frames++;
      if (frame.readUInt32BE(4) !== 0) commits++;
    }
    return {
      frames,
      commits,
      restarted,
      byTree: [...byTree].map(([name, n]) => ({ name, frames: n })).sort((a, b) => b.frames - a.frames),
    };
  } finally {
    closeSync(fd);
  }
}

function pageOwners(databaseFile: string): Map<number, string> {
  const conn = new SQLite(databaseFile, { readonly: true });
  try {
    const rows = conn.prepare('select name, pageno from dbstat').all() as Array<{
      name: string;
      pageno: number;
    }>;
    return new Map(rows.map((r) => [r.pageno, r.name]));
  } finally {
    conn.close();
  }
}

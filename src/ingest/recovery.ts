/**
 * Start-up recovery after a crash (or a clean stop). The journal's last commit entry is kept only
 * if the data it names is on disk intact (its data and the entry were fsync'd in parallel). Every
 * temporary landing file is then cut back to the size its last valid commit names: bytes after that were written but never acknowledged,
 * so dropping them loses nothing a client was promised and keeps a torn last line out of landing.
 * What remains is published; a file with nothing committed is removed. Then the journal is
 * rewritten as a snapshot holding only the idempotency keys still inside their window.
 */
import { open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { LakeLayout } from '../lake/layout.js';
import { LANDING_SOURCES, type LandingSource } from '../lake/tables.js';
import { fsyncDirectory } from './fs-durable.js';
import { Journal, type CommittedFile, type IdempotencyRecord } from './journal.js';
import { isAlreadyPublished, listTempLandingFiles, publishLandingFile } from './landing-files.js';

export interface RecoveryReport {
  readonly published: string[];
  readonly removed: string[];
  /** Bytes cut from temporary files: written but never acknowledged. */
  readonly truncatedBytes: number;
  readonly keys: IdempotencyRecord[];
  readonly skippedJournalLines: number;
}

export function ingestMetaDir(layout: LakeLayout): string {
  return path.join(layout.metaDir, 'ingest');
}

export async function recoverLanding(layout: LakeLayout, keyWindowMs: number, nowMillis: number): Promise<RecoveryReport> {
  const metaDir = ingestMetaDir(layout);
  const { entries, skippedLines } = await Journal.read(metaDir);
  const commits = entries.filter((e) => e.t === 'commit');
  // Only the last group can have been cut short (groups wait for each other), so only it is checked.
  const last = commits.at(-1);
  if (last && !(await dataIsIntact(layout, last.files))) commits.pop();
  const committed = new Map<string, number>();
  const keys = new Map<string, IdempotencyRecord>();
  for (const entry of commits) {
    for (const f of entry.files) committed.set(fileKey(f.source, f.temp), f.size);
    for (const k of entry.keys) keys.set(k.scope, k);
  }

  const published: string[] = [];
  const removed: string[] = [];
  let truncatedBytes = 0;
  let lastMillis = 0;
  for (const source of LANDING_SOURCES) {
    const dir = layout.landingDir(source);
    for (const temp of await listTempLandingFiles(dir)) {
      const file = path.join(dir, temp);
      const size = committed.get(fileKey(source, temp)) ?? 0;
      if (size === 0 || (await isAlreadyPublished(dir, temp))) {
        await unlink(file);
        await fsyncDirectory(dir);
        removed.push(path.join(source, 'landing', temp));
        continue;
      }
      truncatedBytes += await truncateTo(file, size);
      const result = await publishLandingFile(layout, source, temp, nowMillis, lastMillis);
      lastMillis = result.millis;
      published.push(path.join(source, 'landing', result.name));
    }
  }

  const live = [...keys.values()].filter((k) => nowMillis - k.at < keyWindowMs);
  const journal = await Journal.open(metaDir);
  await journal.replace([{ t: 'commit', at: nowMillis, files: [], keys: live }]);
  await journal.close();
  return { published, removed, truncatedBytes, keys: live, skippedJournalLines: skippedLines };
}

/** True when every byte range a commit entry names is on disk with its CRC-32 (or its file is already published). */
async function dataIsIntact(layout: LakeLayout, files: readonly CommittedFile[]): Promise<boolean> {
  for (const f of files) {
    if (f.from === undefined || f.crc32 === undefined) continue;
    let handle: FileHandle;
    try {
      handle = await open(path.join(layout.landingDir(f.source), f.temp), 'r');
    } catch (err) {
      // Published files were complete when published (publishing waits for the commit).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    try {
      const data = Buffer.alloc(f.size - f.from);
      const { bytesRead } = await handle.read(data, 0, data.length, f.from);
      if (bytesRead !== data.length || crc32(data) !== f.crc32) return false;
    } finally {
      await handle.close();
    }
  }
  return true;
}

function fileKey(source: LandingSource, temp: string): string {
  return `${source}/${temp}`;
}

/** Cuts `file` to `size` bytes, fsyncs it, and returns how many bytes went. */
async function truncateTo(file: string, size: number): Promise<number> {
  const handle = await open(file, 'r+');
  try {
    const { size: actual } = await handle.stat();
    if (actual > size) {
      await handle.truncate(size);
      await handle.sync();
    }
    return Math.max(0, actual - size);
  } finally {
    await handle.close();
  }
}

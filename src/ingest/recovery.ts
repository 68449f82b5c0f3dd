/**
 * Start-up recovery after a crash (or a clean stop). Every temporary landing file is cut back to
 * the size its last journal commit names: bytes after that were written but never acknowledged,
 * so dropping them loses nothing a client was promised and keeps a torn last line out of landing.
 * What remains is published; a file with nothing committed is removed. Then the journal is
 * rewritten as a snapshot holding only the idempotency keys still inside their window.
 */
import { open, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { LakeLayout } from '../lake/layout.js';
import { LANDING_SOURCES, type LandingSource } from '../lake/tables.js';
import { fsyncDirectory } from './fs-durable.js';
import { Journal, type IdempotencyRecord } from './journal.js';
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
  const committed = new Map<string, number>();
  const keys = new Map<string, IdempotencyRecord>();
  for (const entry of entries) {
    if (entry.t !== 'commit') continue;
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

/**
 * Atomic table replacement on a local file system. A table folder holds exactly one Parquet
 * file; a new version is written under `_staging/`, flushed to disk, then renamed over the
 * current file. rename(2) within one folder is atomic, so a reader (or a crash) sees either the
 * old version or the new one, never a half-written or empty table.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export async function fsyncPath(target: string): Promise<void> {
  const handle = await fs.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Move a fully written staging file into place as the table's current version. `flushed` is a
 * flush of the staging file already under way (started when it was written), else one is made.
 */
export async function publishFile(stagingFile: string, tableFile: string, flushed?: Promise<void>): Promise<void> {
  await (flushed ?? fsyncPath(stagingFile));
  await fs.rename(stagingFile, tableFile);
  // Persist the rename itself: the directory entry lives in the folder.
  await fsyncPath(path.dirname(tableFile));
}

/** Remove leftovers of runs that died before publishing (their tables were never touched). */
export async function clearStaging(stagingDir: string): Promise<void> {
  await fs.rm(stagingDir, { recursive: true, force: true });
}

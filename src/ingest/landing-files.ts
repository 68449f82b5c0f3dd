/**
 * Naming and publishing of landing files. The service appends to a temporary file whose name
 * starts with `.` (skipped by the pipeline and by Hive, Trino, Spark and Athena) and does not end
 * in `.json`; a complete file is published under the landing name `<source>-<epoch millis>.json`.
 */
import { link, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { LakeLayout } from '../lake/layout.js';
import type { LandingSource } from '../lake/tables.js';
import { fsyncDirectory } from './fs-durable.js';

const TEMP_PREFIX = '.ingest-';
const TEMP_SUFFIX = '.partial';

export function isTempLandingFile(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
}

export async function listTempLandingFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter(isTempLandingFile).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Creates a new, empty temporary file whose directory entry is durable before any data is committed to it. */
export async function createTempLandingFile(dir: string, nowMillis: number): Promise<{ name: string; handle: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const name = `${TEMP_PREFIX}${nowMillis}-${process.pid}-${attempt}${TEMP_SUFFIX}`;
    try {
      const handle = await open(path.join(dir, name), 'wx');
      await fsyncDirectory(dir);
      return { name, handle };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Publishes a complete temporary file under a landing name no other file has, and returns that name.
 * The file is hard-linked to its landing name (which fails rather than replacing a file another
 * writer created in the same millisecond), then the temporary name is removed. A crash between the
 * two leaves a temporary file with two links, which recovery recognizes as already published.
 */
export async function publishLandingFile(
  layout: LakeLayout,
  source: LandingSource,
  tempName: string,
  nowMillis: number,
  lastMillis: number,
): Promise<{ name: string; millis: number }> {
  const dir = layout.landingDir(source);
  let millis = Math.max(nowMillis, lastMillis + 1);
  for (;;) {
    const name = layout.landingFileName(source, millis);
    try {
      await link(path.join(dir, tempName), path.join(dir, name));
      await fsyncDirectory(dir);
      await unlink(path.join(dir, tempName));
      await fsyncDirectory(dir);
      return { name, millis };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      millis += 1;
    }
  }
}

/** True when the temporary file already has its landing name too (a crash hit between link and unlink). */
export async function isAlreadyPublished(dir: string, tempName: string): Promise<boolean> {
  return (await stat(path.join(dir, tempName))).nlink > 1;
}

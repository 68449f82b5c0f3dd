/**
 * Generation must not mix with data already in a lake: expectations would no longer describe the
 * landing folders. So it refuses a folder with landing files unless told to replace them.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { StediError } from '../errors.js';
import type { LakeLayout } from '../lake/layout.js';
import { LANDING_SOURCES } from '../lake/tables.js';

async function landingFiles(layout: LakeLayout): Promise<string[]> {
  const found: string[] = [];
  for (const source of LANDING_SOURCES) {
    const dir = layout.landingDir(source);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const name of names) if (name.endsWith('.json')) found.push(path.join(dir, name));
  }
  return found.sort();
}

/** Throws a USAGE error if landing files exist and `force` is off; with `force`, deletes them. */
export async function prepareLandingFolders(layout: LakeLayout, force: boolean): Promise<void> {
  const existing = await landingFiles(layout);
  if (existing.length === 0) return;
  if (!force) {
    throw new StediError(
      'USAGE',
      `${layout.root} already has ${existing.length} landing file(s), e.g. ${existing[0] ?? ''}; refusing to generate into it`,
      { hint: 'choose an empty folder, or pass --force to delete the existing landing files first' },
    );
  }
  await Promise.all(existing.map((file) => rm(file)));
  await rm(layout.expectationsFile, { force: true });
}

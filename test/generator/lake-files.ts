/** Test helpers: temporary lake folders and reading generated landing files back. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LakeLayout } from '../../src/lake/layout.js';
import { LANDING_SOURCES, type LandingSource } from '../../src/lake/tables.js';

export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stedi-generator-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Landing file names per source, sorted by the millis in the name (i.e. export order). */
export async function landingFileNames(root: string): Promise<Record<LandingSource, string[]>> {
  const layout = new LakeLayout(root);
  const result = { customer: [], accelerometer: [], step_trainer: [] } as Record<LandingSource, string[]>;
  for (const source of LANDING_SOURCES) {
    const names = await readdir(layout.landingDir(source));
    const millis = (name: string): number => Number(name.slice(source.length + 1, -'.json'.length));
    result[source] = names.sort((a, b) => millis(a) - millis(b));
  }
  return result;
}

export async function landingLines(root: string, source: LandingSource): Promise<string[]> {
  const layout = new LakeLayout(root);
  const lines: string[] = [];
  for (const name of (await landingFileNames(root))[source]) {
    const text = await readFile(path.join(layout.landingDir(source), name), 'utf8');
    lines.push(...text.split('\n').slice(0, -1));
  }
  return lines;
}

/** Every landing file's bytes, keyed by path relative to the lake root. */
export async function landingSnapshot(root: string): Promise<Map<string, string>> {
  const layout = new LakeLayout(root);
  const snapshot = new Map<string, string>();
  const names = await landingFileNames(root);
  for (const source of LANDING_SOURCES) {
    for (const name of names[source]) {
      const file = path.join(layout.landingDir(source), name);
      snapshot.set(path.relative(root, file), await readFile(file, 'utf8'));
    }
  }
  return snapshot;
}

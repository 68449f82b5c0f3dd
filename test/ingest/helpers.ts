/** Shared set-up for ingestion tests: a temporary lake, keys, and a service that logs nothing. */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addApiKey } from '../../src/ingest/api-keys.js';
import { DEFAULT_SERVICE_OPTIONS, openIngestService, type IngestService, type IngestServiceOptions } from '../../src/ingest/service.js';
import type { LandingSource } from '../../src/lake/tables.js';

export interface TestLake {
  readonly root: string;
  readonly lake: string;
  readonly keysFile: string;
  /** Full-scope key and accelerometer-only key. */
  readonly keys: { readonly all: string; readonly accelerometer: string };
  cleanup(): Promise<void>;
}

export async function makeTestLake(): Promise<TestLake> {
  const root = await mkdtemp(path.join(tmpdir(), 'stedi-ingest-'));
  const lake = path.join(root, 'lake');
  await mkdir(lake);
  const keysFile = path.join(root, 'keys.json');
  const all = await addApiKey(keysFile, 'all', ['customer', 'accelerometer', 'step_trainer']);
  const accelerometer = await addApiKey(keysFile, 'app', ['accelerometer']);
  return { root, lake, keysFile, keys: { all, accelerometer }, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export function openTestService(lake: TestLake, overrides: Partial<IngestServiceOptions> = {}): Promise<IngestService> {
  return openIngestService({
    ...DEFAULT_SERVICE_OPTIONS,
    lake: lake.lake,
    keysFile: lake.keysFile,
    logger: false,
    processMetrics: false,
    ...overrides,
  });
}

/** Published landing files of a source, name -> content. */
export async function landingFiles(lake: string, source: LandingSource): Promise<Map<string, string>> {
  const dir = path.join(lake, source, 'landing');
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const files = new Map<string, string>();
  for (const name of names) files.set(name, await readFile(path.join(dir, name), 'utf8'));
  return files;
}

/** Every line of every published landing file of a source, in file order. */
export async function landingLines(lake: string, source: LandingSource): Promise<string[]> {
  const lines: string[] = [];
  for (const [name, content] of await landingFiles(lake, source)) {
    if (!name.endsWith('.json')) continue;
    if (content !== '' && !content.endsWith('\n')) throw new Error(`${name} ends in a partial line`);
    lines.push(...content.split('\n').filter((l) => l !== ''));
  }
  return lines;
}

export const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);

export function reading(i: number, user = 'Jo.Doe@test.com'): { user: string; timestamp: number; x: number; y: number; z: number } {
  return { user, timestamp: NOW + i, x: i, y: -1.5, z: 0.25 };
}

export function ndjson(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

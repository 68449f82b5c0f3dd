/** Test helpers: build tiny lakes from records, read published tables back, run the real CLI. */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { LakeLayout } from '../../src/lake/layout.js';
import type { LandingSource, TableName } from '../../src/lake/tables.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TEST_KEY = 'test-pseudonym-key-0123456789';

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `stedi-${prefix}-`));
}

/** Write landing lines (objects are JSON-encoded, strings written as they are). */
export async function writeLanding(
  lake: string,
  source: LandingSource,
  lines: readonly (object | string)[],
  millis = 1_700_000_000_000,
): Promise<string> {
  const layout = new LakeLayout(lake);
  await fs.mkdir(layout.landingDir(source), { recursive: true });
  const file = path.join(layout.landingDir(source), layout.landingFileName(source, millis));
  await fs.writeFile(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

export type Row = Record<string, string | number | boolean | null>;

/** Every row of a published table, as JSON-friendly values (BIGINT as number), sorted for comparison. */
export async function readTable(lake: string, table: TableName): Promise<Row[]> {
  return readParquet(new LakeLayout(lake).tableFile(table));
}

/** Every row of a Parquet file, as JSON-friendly values (BIGINT as number), sorted for comparison. */
export async function readParquet(file: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`);
    const rows = reader.getRowObjectsJson().map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'phone' ? Number(v) : v]),
      ),
    ) as Row[];
    return rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `node bin/stedi.js ...args` (the built CLI) and collect its output. */
export function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/stedi.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Row count and an order-independent hash of a published table's rows (cheap, for many checks). */
export async function tableFingerprint(lake: string, table: TableName): Promise<string> {
  const file = new LakeLayout(lake).tableFile(table);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(
      `SELECT count(*) AS n, bit_xor(hash(t)) AS h FROM read_parquet('${file.replaceAll("'", "''")}') t`,
    );
    return JSON.stringify(reader.getRowsJson()[0]);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Runs bench/reference.sql (the hand-written DuckDB baseline) on a lake: `node
 * dist/bench/reference-run.js <lake> <out dir>`. A separate process, like `stedi run`, so both
 * are timed and measured the same way.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { hmacPads } from '../privacy/hmac-pads.js';

export const REFERENCE_SQL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/reference.sql');

export async function runReference(lake: string, out: string, key: string): Promise<void> {
  const { inner, outer } = hmacPads(Buffer.from(key, 'utf8'));
  const sql = (await fs.readFile(REFERENCE_SQL, 'utf8'))
    .replaceAll('{{LAKE}}', path.resolve(lake))
    .replaceAll('{{OUT}}', path.resolve(out))
    .replaceAll('{{INNER}}', inner)
    .replaceAll('{{OUTER}}', outer);
  await fs.mkdir(out, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(sql);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [lake, out] = process.argv.slice(2);
  if (!lake || !out) {
    process.stderr.write('usage: reference-run <lake> <out dir>\n');
    process.exit(2);
  }
  await runReference(lake, out, process.env.STEDI_PSEUDONYM_KEY ?? 'bench-key-0123456789abcdef');
}

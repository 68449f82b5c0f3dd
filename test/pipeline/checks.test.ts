/**
 * Checks: `stedi check` passes on a fresh run and names the table, rule and masked rows when a
 * published table is tampered with; and a run whose audit fails publishes nothing.
 */
import fs from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateLake } from '../../src/generator/index.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { runCli, tempDir, TEST_KEY } from '../helpers/lake-files.js';

const env = { STEDI_PSEUDONYM_KEY: TEST_KEY };

async function rewriteParquet(file: string, select: (t: string) => string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${file}')`);
    await conn.run(`COPY (${select('t')}) TO '${file}' (FORMAT parquet)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe('checks', () => {
  let lake: string;
  beforeAll(async () => {
    lake = await tempDir('checks');
    await generateLake({ out: lake, customers: 80, seed: 5 });
    expect((await runCli(['run', '--lake', lake, '--quiet'], env)).code).toBe(0);
  });

  it('pass on the tables a run published', async () => {
    const result = await runCli(['check', '--lake', lake, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { results: { outcome: string; durationMs: unknown }[] };
    expect(report.results.length).toBeGreaterThanOrEqual(18);
    expect(report.results.every((r) => r.outcome === 'passed')).toBe(true);
    // Each check says how long it took, so a slow one can be found.
    expect(report.results.every((r) => typeof r.durationMs === 'number' && r.durationMs >= 0)).toBe(true);
  });

  it('name the table, rule and masked rows of a violation, and a failing audit publishes nothing', async () => {
    const copy = await tempDir('checks-tampered');
    await fs.cp(lake, copy, { recursive: true });
    const layout = new LakeLayout(copy);
    // A reading from before its customer's consent, planted in the published trusted table.
    await rewriteParquet(
      layout.tableFile('accelerometer_trusted'),
      (t) => `SELECT * FROM ${t} UNION ALL SELECT email, reading_time - 315360000000::BIGINT, x, y, z FROM ${t} LIMIT 1000000`,
    );
    const check = await runCli(['check', '--lake', copy], env);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/accelerometer_trusted\s+no_reading_before_consent\s+failed/);
    expect(check.stdout).toMatch(/"email":"[^"]\*\*\*@/); // masked sample
    expect(check.stdout).not.toMatch(/"email":"[a-z]+\.[a-z]+\d*@/i);

    const before = await fs.readFile(layout.tableFile('machine_learning_curated'));
    const run = await runCli(['run', '--lake', copy, '--jobs', 'customer_trusted_to_curated,machine_learning_curated'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/checks failed, nothing published: accelerometer_trusted: no_reading_before_consent/);
    expect(await fs.readFile(layout.tableFile('machine_learning_curated'))).toEqual(before);
  });

  it('catch a repeated reading planted in the accelerometer trusted table', async () => {
    const copy = await tempDir('checks-duplicate');
    await fs.cp(lake, copy, { recursive: true });
    await rewriteParquet(new LakeLayout(copy).tableFile('accelerometer_trusted'), (t) => `SELECT * FROM ${t} UNION ALL (SELECT * FROM ${t} LIMIT 2)`);
    const check = await runCli(['check', '--lake', copy], env);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/accelerometer_trusted\s+unique_key\s+failed\s+2\b/);
    expect(check.stdout).toMatch(/step_trainer_trusted\s+unique_key\s+passed/);
  });

  it('catch a cross-customer pairing planted in the machine-learning table', async () => {
    const copy = await tempDir('checks-pairing');
    await fs.cp(lake, copy, { recursive: true });
    // Give one row the pseudonym of another subject: strangers' readings paired.
    await rewriteParquet(
      new LakeLayout(copy).tableFile('machine_learning_curated'),
      (t) => `(SELECT (SELECT max(subject_id) FROM ${t}) AS subject_id, sensor_reading_time, distance_from_object, x, y, z
        FROM ${t} WHERE subject_id = (SELECT min(subject_id) FROM ${t}) LIMIT 1)
        UNION ALL (SELECT * FROM ${t})`,
    );
    const check = await runCli(['check', '--lake', copy], env);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/machine_learning_curated\s+same_customer_pairing\s+failed\s+1\b/);
    // Without the key the pairing cannot be checked, and says so instead of passing.
    const noKey = await runCli(['check', '--lake', copy], { STEDI_PSEUDONYM_KEY: '' });
    expect(noKey.stdout).toMatch(/same_customer_pairing\s+not run: STEDI_PSEUDONYM_KEY is not set/);
  });
});

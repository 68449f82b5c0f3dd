/**
 * The Trino engine's failures against the real server: one line naming what failed and where,
 * and no partial table left behind. Under CI a missing server fails this file (never skips).
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLake } from '../../src/generator/index.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { TrinoEngine, defaultSchema } from '../../src/engines/trino/trino-engine.js';
import { connect, query } from '../../src/engines/trino/trino-query.js';
import { resolveTrinoSettings } from '../../src/engines/trino/trino-settings.js';
import { runCli, tempDir, TEST_KEY } from '../helpers/lake-files.js';
import { TRINO_REQUIRED, trinoSettings, trinoUrlOrFail } from './engine-under-test.js';

const sha = async (file: string): Promise<string> => crypto.createHash('sha256').update(await fs.readFile(file)).digest('hex');

async function smallLake(name: string): Promise<string> {
  const lake = await tempDir(name);
  await generateLake({ out: lake, customers: 30, seed: 5 });
  return lake;
}

describe.runIf(TRINO_REQUIRED)('trino engine errors (real server)', () => {
  it('server unreachable: one line on stderr naming the server, exit 1', async () => {
    const lake = await smallLake('trino-unreachable');
    const r = await runCli(['run', '--lake', lake, '--engine', 'trino', '--trino-url', 'http://127.0.0.1:1', '--quiet'], {
      STEDI_PSEUDONYM_KEY: TEST_KEY,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^stedi: Trino server at http:\/\/127\.0\.0\.1:1 is unreachable \(ECONNREFUSED\)/);
  });

  it('authentication refused: names server and user, never the password', async () => {
    const lake = await smallLake('trino-auth');
    // Validation refuses a password over http; go around it to hear the server's own refusal.
    const settings = { ...resolveTrinoSettings({ trinoUrl: trinoUrlOrFail() }, {}), password: 'pw-do-not-print' };
    const failure = await TrinoEngine.open(settings, { lake, runId: 'r1' }).then(
      () => new Error('opened'),
      (err: unknown) => err as Error,
    );
    expect(failure.message).toMatch(/^Trino server at http:\/\/[\d.:]+ refused authentication for user "stedi" \(HTTP 401/);
    expect(failure.message).not.toContain('pw-do-not-print');
  });

  it('catalog or schema missing: names it and the server', async () => {
    const lake = await smallLake('trino-missing');
    await expect(runPipeline({ lake, pseudonymKey: TEST_KEY, engine: await trinoSettings({ trinoCatalog: 'no_such_catalog' }) })).rejects.toThrow(
      /^Trino catalog "no_such_catalog" does not exist on http:\/\//,
    );
    await expect(runPipeline({ lake, pseudonymKey: TEST_KEY, engine: await trinoSettings({ trinoSchema: 'no_such_schema_x' }) })).rejects.toThrow(
      /^Trino schema "lake\.no_such_schema_x" does not exist on http:\/\//,
    );
  });

  it('a failed query names the job and the SQL error; nothing is published and scratch objects are gone', async () => {
    const lake = await smallLake('trino-failed-query');
    const layout = new LakeLayout(lake);
    await runPipeline({ lake, pseudonymKey: TEST_KEY, engine: await trinoSettings() });
    const before = await sha(layout.tableFile('accelerometer_trusted'));
    // A published input that is no Parquet file: Trino fails while the job reads it.
    await fs.writeFile(layout.tableFile('customer_trusted'), 'not parquet at all, but long enough to have a footer-sized tail');
    const err = await runPipeline({
      lake,
      jobs: ['accelerometer_landing_to_trusted'],
      pseudonymKey: TEST_KEY,
      engine: await trinoSettings(),
    }).then(
      () => new Error('run succeeded'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/^job accelerometer_landing_to_trusted: Trino HIVE_[A-Z_]+: .*part-00000\.parquet/);
    expect(err.message.split('\n')).toHaveLength(1);
    expect(await sha(layout.tableFile('accelerometer_trusted'))).toBe(before);
    expect(await fs.readdir(layout.stagingDir('accelerometer_trusted')).catch(() => [])).toEqual([]);
    const left = await query(
      connect(trinoUrlOrFail(), { catalog: 'lake' }),
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${defaultSchema(lake)}'`,
    );
    expect(left.rows).toEqual([]);
    // The run's own schema and scratch folder are gone too.
    expect(await fs.stat(path.join(lake, '_stedi', 'trino')).then(() => 'exists', () => 'gone')).toBe('gone');
    const schemas = await query(connect(trinoUrlOrFail(), { catalog: 'lake' }), `SHOW SCHEMAS FROM lake LIKE '${defaultSchema(lake)}'`);
    expect(schemas.rows).toEqual([]);
  });

  it('drops what a killed run left in its schema before reusing the names', async () => {
    const lake = await smallLake('trino-leftovers');
    const settings = await trinoSettings();
    const trino = connect(trinoUrlOrFail(), { catalog: 'lake' });
    const schema = defaultSchema(lake);
    await fs.mkdir(path.join(lake, '_stedi', 'trino', 'schema'), { recursive: true });
    await query(trino, `CREATE SCHEMA lake.${schema} WITH (location = 'local://${path.join(lake, '_stedi', 'trino', 'schema')}')`);
    await query(trino, `CREATE VIEW lake.${schema}.customer_trusted AS SELECT 1 AS x`);
    await query(trino, `CREATE TABLE lake.${schema}.customer_landing_raw__lines (a bigint)`).catch(() => undefined);
    const record = await runPipeline({ lake, pseudonymKey: TEST_KEY, engine: settings });
    expect(record.outcome).toBe('succeeded');
    const left = await query(trino, `SELECT table_name FROM lake.information_schema.tables WHERE table_schema = '${schema}'`);
    expect(left.rows).toEqual([]);
  });
});

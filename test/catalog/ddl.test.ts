/**
 * `stedi catalog ddl`: the DuckDB and Trino statements are executed against the real engines on a
 * lake produced by `stedi run` and must count every table's rows; the Athena statements are
 * checked as text. Under CI the Trino part fails (never skips) without a server.
 */
import crypto from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogDdl, catalogScript } from '../../src/catalog/ddl.js';
import { generateLake } from '../../src/generator/index.js';
import { readTableStatus } from '../../src/lake/lake-reader.js';
import { TABLES, type TableName } from '../../src/lake/tables.js';
import { connect, query } from '../../src/engines/trino/trino-query.js';
import { runCli, tempDir, TEST_KEY } from '../helpers/lake-files.js';
import { TRINO_REQUIRED, trinoUrlOrFail } from '../engines/engine-under-test.js';

let lake = '';
let expected: Record<string, number> = {};

beforeAll(async () => {
  lake = await tempDir('catalog');
  await generateLake({ out: lake, customers: 120, seed: 21 });
  const run = await runCli(['run', '--lake', lake, '--quiet'], { STEDI_PSEUDONYM_KEY: TEST_KEY });
  expect(run.stderr).toBe('');
  expected = Object.fromEntries((await readTableStatus(lake)).map((t) => [t.table, t.rows ?? -1]));
  // Every table has rows, so a DDL that reads nothing cannot pass.
  for (const n of Object.values(expected)) expect(n).toBeGreaterThan(0);
});

describe('catalog ddl', () => {
  it('duckdb: the views read every table of a lake written by stedi run', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      for (const sql of catalogDdl('duckdb', { location: lake })) await conn.run(sql);
      for (const table of Object.keys(TABLES)) {
        const reader = await conn.runAndReadAll(`SELECT count(*) FROM "${table}"`);
        expect(Number(reader.getRows()[0]?.[0]), table).toBe(expected[table]);
      }
      // Landing keys keep their spelling; values are typed.
      const reader = await conn.runAndReadAll('SELECT "serialNumber", "sensorReadingTime" FROM step_trainer_landing LIMIT 1');
      expect(reader.columnNames()).toEqual(['serialNumber', 'sensorReadingTime']);
      expect(typeof reader.getRows()[0]?.[1]).toBe('bigint');
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('athena: external tables with the OpenX JSON SerDe for landing and Parquet for the rest', () => {
    const ddl = catalogDdl('athena', { location: 's3://stedi-lake/prod/', schema: 'stedi' });
    expect(ddl).toHaveLength(8);
    const byTable = Object.fromEntries(Object.keys(TABLES).map((t, i) => [t, ddl[i] ?? ''])) as Record<TableName, string>;
    expect(byTable.customer_landing).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `stedi`.`customer_landing` (');
    expect(byTable.customer_landing).toContain("ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'");
    expect(byTable.customer_landing).toContain("'case.insensitive' = 'FALSE'");
    expect(byTable.customer_landing).toContain("'mapping.sharewithresearchasofdate' = 'shareWithResearchAsOfDate'");
    expect(byTable.customer_landing).toContain("LOCATION 's3://stedi-lake/prod/customer/landing/'");
    expect(byTable.accelerometer_landing).toContain('`user` string');
    expect(byTable.accelerometer_landing).toContain('`timestamp` bigint');
    expect(byTable.step_trainer_landing).toContain("'mapping.distancefromobject' = 'distanceFromObject'");
    expect(byTable.machine_learning_curated).toMatch(
      /`subject_id` string COMMENT .*\n[\s\S]*STORED AS PARQUET\nLOCATION 's3:\/\/stedi-lake\/prod\/step_trainer\/curated\/'$/,
    );
    for (const table of ['customer_trusted', 'accelerometer_trusted', 'step_trainer_trusted', 'customer_curated'] as const) {
      expect(byTable[table]).toContain(`STORED AS PARQUET\nLOCATION 's3://stedi-lake/prod/${TABLES[table].folder}/'`);
      expect(byTable[table]).not.toContain('SERDE');
    }
  });

  it('prints the script from the CLI', async () => {
    const r = await runCli(['catalog', 'ddl', '--dialect', 'trino', '--location', 'local:///data/lake']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(catalogScript('trino', { location: 'local:///data/lake' }));
    expect(r.stdout.match(/^CREATE TABLE IF NOT EXISTS/gm)).toHaveLength(8);
    const bad = await runCli(['catalog', 'ddl', '--dialect', 'hive', '--location', 'x']);
    expect(bad.code).toBe(2);
  });

  it.runIf(TRINO_REQUIRED)('trino: the tables read every table of the same lake on the real server', async () => {
    const trino = connect(trinoUrlOrFail(), { catalog: 'lake' });
    const schema = `stedi_catalog_${crypto.randomBytes(4).toString('hex')}`;
    await query(trino, `CREATE SCHEMA lake.${schema}`);
    try {
      for (const sql of catalogDdl('trino', { location: `local://${lake}`, schema })) await query(trino, sql);
      for (const table of Object.keys(TABLES)) {
        const out = await query(trino, `SELECT count(*) FROM lake.${schema}.${table}`);
        expect(out.rows[0]?.[0], table).toBe(expected[table]);
      }
      const sample = await query(trino, `SELECT serialnumber, sensorreadingtime FROM lake.${schema}.step_trainer_landing LIMIT 1`);
      expect(typeof sample.rows[0]?.[0]).toBe('string');
      expect(typeof sample.rows[0]?.[1]).toBe('number');
    } finally {
      for (const table of Object.keys(TABLES)) await query(trino, `DROP TABLE IF EXISTS lake.${schema}.${table}`);
      await query(trino, `DROP SCHEMA lake.${schema}`);
    }
  });
});

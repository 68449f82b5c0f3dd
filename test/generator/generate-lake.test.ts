/** generateLake end to end on small lakes: layout, line format, expectations, determinism. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StediError } from '../../src/errors.js';
import { computeExpectations } from '../../src/generator/expectations.js';
import { generateLake, type ExpectedFile, type GeneratedLake } from '../../src/generator/generate-lake.js';
import type { AccelerometerReading, CustomerRecord, StepTrainerReading } from '../../src/generator/records.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { LANDING_SOURCES, LANDING_TABLE, TABLES, type LandingSource } from '../../src/lake/tables.js';
import { landingFileNames, landingLines, landingSnapshot, withTempDir } from './lake-files.js';

const CUSTOMERS = 120;
const SEED = 11;

let root: string;
let lake: GeneratedLake;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'stedi-generator-'));
  lake = await generateLake({ out: root, customers: CUSTOMERS, seed: SEED });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const parsedLines = async (source: LandingSource): Promise<Record<string, unknown>[]> =>
  (await landingLines(root, source)).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('landing files', () => {
  it('are named <source>-<millis>.json in the landing folder of each source, with distinct millis', async () => {
    const layout = new LakeLayout(root);
    const names = await landingFileNames(root);
    for (const source of LANDING_SOURCES) {
      expect(names[source].length).toBeGreaterThan(0);
      for (const name of names[source]) expect(name).toMatch(new RegExp(`^${source}-\\d{13}\\.json$`));
      expect(lake.files[source].map((f) => path.dirname(f))).toEqual(names[source].map(() => layout.landingDir(source)));
      expect(new Set(names[source]).size).toBe(names[source].length);
    }
    // The re-exported customer records go to a later file.
    expect(names.customer.length).toBe(2);
  });

  it('hold one JSON object per line with exactly the DESIGN.md keys, in order, and the right types', async () => {
    // Problems are collected rather than asserted one by one: thousands of expect() calls are slow.
    const problems: string[] = [];
    for (const source of LANDING_SOURCES) {
      const columns = TABLES[LANDING_TABLE[source]].columns;
      const keys = columns.map((c) => c.name).join(',');
      for (const record of await parsedLines(source)) {
        if (Object.keys(record).join(',') !== keys) problems.push(`${source} keys ${Object.keys(record).join(',')}`);
        for (const column of columns) {
          const value = record[column.name];
          const typeOk =
            (value === null && column.name.startsWith('shareWith')) ||
            (column.type === 'VARCHAR' && typeof value === 'string') ||
            (column.type === 'DOUBLE' && typeof value === 'number' && Math.abs(value) <= 1) ||
            (column.type === 'BIGINT' && Number.isSafeInteger(value));
          if (!typeOk) problems.push(`${source}.${column.name} = ${JSON.stringify(value)}`);
        }
        if (source === 'customer' && !/^\d{4}-\d{2}-\d{2}$/.test(String(record.birthDay))) problems.push(`birthDay ${String(record.birthDay)}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('have as many lines as expected.json says', async () => {
    const expected = JSON.parse(await readFile(new LakeLayout(root).expectationsFile, 'utf8')) as ExpectedFile;
    expect(expected).toEqual(lake.expected);
    for (const source of LANDING_SOURCES) {
      expect((await landingLines(root, source)).length).toBe(expected.landing[LANDING_TABLE[source] as keyof ExpectedFile['landing']]);
    }
    expect(expected.seed).toBe(SEED);
    expect(expected.customers).toBe(CUSTOMERS);
  });
});

describe('expectations', () => {
  it('equal a recount of the whole lake read back from disk (streaming sum = single count)', async () => {
    const recount = computeExpectations(
      (await parsedLines('customer')) as unknown as CustomerRecord[],
      (await parsedLines('accelerometer')) as unknown as AccelerometerReading[],
      (await parsedLines('step_trainer')) as unknown as StepTrainerReading[],
    );
    const { landing, strict, lenient, breakdown } = lake.expected;
    expect(recount).toEqual({ landing, strict, lenient, breakdown });
  });

  it('show every surprise at ~100 customers, and strict differs from lenient', () => {
    const { strict, lenient, breakdown } = lake.expected;
    for (const [name, value] of Object.entries(breakdown)) {
      if (typeof value === 'number') expect(value, name).toBeGreaterThan(0);
    }
    expect(breakdown.stepTrainerKeysHeldBack.strict).toBeGreaterThan(0);
    expect(strict.customer_trusted).toBe(lenient.customer_trusted);
    expect(strict.customer_trusted).toBeGreaterThan(CUSTOMERS * 0.3);
    expect(strict.customer_trusted).toBeLessThan(CUSTOMERS * 0.7);
    for (const table of ['accelerometer_trusted', 'customer_curated', 'step_trainer_trusted', 'machine_learning_curated'] as const) {
      expect(strict[table], table).toBeGreaterThan(0);
      expect(strict[table], table).toBeLessThan(lenient[table]);
    }
  });
});

describe('determinism', () => {
  it('gives byte-identical files for the same seed and size, and different files for another seed', async () => {
    const original = await landingSnapshot(root);
    await withTempDir(async (again) => {
      await generateLake({ out: again, customers: CUSTOMERS, seed: SEED });
      expect(await landingSnapshot(again)).toEqual(original);
      expect(await readFile(new LakeLayout(again).expectationsFile, 'utf8')).toBe(
        await readFile(new LakeLayout(root).expectationsFile, 'utf8'),
      );
    });
    await withTempDir(async (other) => {
      await generateLake({ out: other, customers: CUSTOMERS, seed: SEED + 1 });
      const changed = await landingSnapshot(other);
      for (const [file, text] of changed) expect(text, file).not.toBe(original.get(file));
    });
  });
});

describe('refusing to overwrite', () => {
  it('refuses a folder with landing files, and replaces them with force', async () => {
    const before = await landingSnapshot(root);
    const attempt = generateLake({ out: root, customers: 30, seed: 3 });
    await expect(attempt).rejects.toBeInstanceOf(StediError);
    await expect(generateLake({ out: root, customers: 30, seed: 3 })).rejects.toMatchObject({ code: 'USAGE' });
    expect(await landingSnapshot(root)).toEqual(before);

    await withTempDir(async (fresh) => {
      await generateLake({ out: fresh, customers: 30, seed: 3 });
      await generateLake({ out: root, customers: 30, seed: 3, force: true });
      expect(await landingSnapshot(root)).toEqual(await landingSnapshot(fresh));
    });
    // Put the shared lake back for any test that runs after this one.
    await generateLake({ out: root, customers: CUSTOMERS, seed: SEED, force: true });
  });
});

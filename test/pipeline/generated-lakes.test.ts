/**
 * The pipeline against the generator's independent expectations, at several seeds and sizes,
 * under both policies; plus the invariants, idempotence and the pseudonym's behaviour.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateLake } from '../../src/generator/index.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { tablesInZone, type TableName } from '../../src/lake/tables.js';
import { checkInvariants } from '../helpers/invariants.js';
import { readTable, tempDir, TEST_KEY } from '../helpers/lake-files.js';
import { engineUnderTest } from '../engines/engine-under-test.js';

const OUTPUTS: TableName[] = [...tablesInZone('trusted'), ...tablesInZone('curated')].map((t) => t.name);

async function snapshot(lake: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of OUTPUTS) {
    out[table] = crypto.createHash('sha256').update(JSON.stringify(await readTable(lake, table))).digest('hex');
  }
  return out;
}

describe.each([
  { seed: 1, customers: 40 },
  { seed: 2, customers: 300 },
  { seed: 3, customers: 1500 },
])('generated lake seed $seed, $customers customers', ({ seed, customers }) => {
  it('matches the expected counts under both policies, keeps the invariants and is idempotent', async () => {
    const lake = await tempDir(`gen-${seed}`);
    const { expected } = await generateLake({ out: lake, customers, seed });

    const strict = await runPipeline({ lake, policy: 'strict', pseudonymKey: TEST_KEY, engine: await engineUnderTest() });
    expect(Object.fromEntries(strict.landing.map((l) => [`${l.source}_landing`, l.rows]))).toEqual(expected.landing);
    expect(Object.fromEntries(strict.jobs.map((j) => [j.output, j.rowsOut]))).toEqual(expected.strict);
    expect(await checkInvariants(lake, TEST_KEY, 'strict')).toEqual([]);
    const first = await snapshot(lake);

    const lenient = await runPipeline({ lake, policy: 'lenient', pseudonymKey: TEST_KEY, engine: await engineUnderTest() });
    expect(Object.fromEntries(lenient.jobs.map((j) => [j.output, j.rowsOut]))).toEqual(expected.lenient);
    expect(await checkInvariants(lake, TEST_KEY, 'lenient')).toEqual([]);

    await runPipeline({ lake, policy: 'strict', pseudonymKey: TEST_KEY, engine: await engineUnderTest() });
    await runPipeline({ lake, policy: 'strict', pseudonymKey: TEST_KEY, engine: await engineUnderTest() });
    expect(await snapshot(lake)).toEqual(first);
  });
});

describe('subject_id', () => {
  it('is the HMAC of the email, stable across runs and different under another key', async () => {
    const lake = await tempDir('subject');
    await generateLake({ out: lake, customers: 60, seed: 9 });
    const subjects = async (): Promise<Set<string>> =>
      new Set((await readTable(lake, 'machine_learning_curated')).map((r) => String(r.subject_id)));

    await runPipeline({ lake, pseudonymKey: TEST_KEY, engine: await engineUnderTest() });
    const first = await subjects();
    const curated = (await readTable(lake, 'customer_curated')).map((c) => String(c.email));
    const hmacs = new Set(curated.map((e) => crypto.createHmac('sha256', TEST_KEY).update(e).digest('hex')));
    expect(first.size).toBeGreaterThan(0);
    for (const s of first) expect(hmacs.has(s)).toBe(true);

    await runPipeline({ lake, pseudonymKey: TEST_KEY, engine: await engineUnderTest() });
    expect(await subjects()).toEqual(first);

    await runPipeline({ lake, pseudonymKey: 'another-key-0123456789abcdef', engine: await engineUnderTest() });
    const other = await subjects();
    expect(other.size).toBe(first.size);
    expect([...other].filter((s) => first.has(s))).toEqual([]);
  });
});

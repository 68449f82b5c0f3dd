/**
 * Data quality against the generator's independent expectations: with bad records injected at
 * several rates and seeds, every table count, every quarantine count per rule, every warning count
 * and every ledger line equals what the generator computed; and a fuzzed lake (bytes corrupted at
 * random positions) still runs, balances its ledger and keeps the invariants.
 */
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateLake } from '../../src/generator/index.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { listLandingFiles } from '../../src/pipeline/landing.js';
import { LANDING_SOURCES } from '../../src/lake/tables.js';
import type { RunRecord } from '../../src/pipeline/run-log.js';
import { checkInvariants } from '../helpers/invariants.js';
import { readParquet, tempDir, TEST_KEY } from '../helpers/lake-files.js';

type Counts = Record<string, number>;

function ledgerOf(run: RunRecord): Record<string, unknown> {
  return Object.fromEntries(
    run.jobs.map((j) => [j.job, { rowsIn: j.rowsIn, rowsOut: j.rowsOut, removed: j.ledger.removed, quarantined: j.ledger.quarantined, added: j.ledger.added }]),
  );
}

async function quarantineCounts(lake: string): Promise<Record<string, Counts>> {
  const layout = new LakeLayout(lake);
  const out: Record<string, Counts> = {};
  for (const source of LANDING_SOURCES) {
    const counts: Counts = {};
    for (const row of await readParquet(layout.quarantineFile(`${source}_landing`))) counts[String(row.rule)] = (counts[String(row.rule)] ?? 0) + 1;
    out[`${source}_landing`] = counts;
  }
  return out;
}

describe.each([
  { seed: 11, customers: 120, badRate: 0.01 },
  { seed: 12, customers: 300, badRate: 0.05 },
])('bad records, seed $seed, rate $badRate', ({ seed, customers, badRate }) => {
  it('quarantines, warns and accounts exactly as the generator expects, under both policies', async () => {
    const lake = await tempDir(`dq-${seed}`);
    const { expected } = await generateLake({ out: lake, customers, seed, badRate });
    for (const policy of ['strict', 'lenient'] as const) {
      const run = await runPipeline({ lake, policy, pseudonymKey: TEST_KEY });
      expect(ledgerOf(run)).toEqual(expected.ledger[policy]);
      expect(Object.fromEntries(run.jobs.map((j) => [j.output, j.rowsOut]))).toEqual(expected[policy]);
      expect(run.checks?.filter((c) => c.outcome !== 'passed')).toEqual([]);
      expect(await checkInvariants(lake, TEST_KEY, policy)).toEqual([]);
    }
    expect(await quarantineCounts(lake)).toEqual(expected.quarantine);
    const run = await runPipeline({ lake, pseudonymKey: TEST_KEY });
    const warnings = Object.fromEntries(
      run.jobs.filter((j) => j.job !== 'customer_trusted_to_curated' && j.job !== 'machine_learning_curated').map((j) => [`${j.inputs[0]}`, j.ledger.warnings]),
    );
    expect(warnings).toEqual(expected.warnings);
    // Re-running replaces the quarantine, never appends to it.
    expect(await quarantineCounts(lake)).toEqual(expected.quarantine);
  });
});

describe('fuzzed landing files', () => {
  it.each([21, 22, 23])('runs, balances and keeps the invariants with bytes corrupted at random (seed %i)', async (seed) => {
    const lake = await tempDir(`fuzz-${seed}`);
    await generateLake({ out: lake, customers: 80, seed });
    let state = seed * 2654435761;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const layout = new LakeLayout(lake);
    for (const source of LANDING_SOURCES) {
      for (const file of await listLandingFiles(layout, source)) {
        const bytes = await fs.readFile(file);
        for (let i = 0; i < 40; i++) bytes[random(bytes.length)] = random(256);
        await fs.writeFile(file, bytes);
      }
    }
    const run = await runPipeline({ lake, pseudonymKey: TEST_KEY });
    expect(run.outcome).toBe('succeeded');
    expect(run.jobs).toHaveLength(5); // each job's ledger was checked to balance by the runner
    const quarantined = run.jobs.reduce((n, j) => n + Object.values(j.ledger.quarantined).reduce((a, b) => a + b, 0), 0);
    expect(quarantined).toBeGreaterThan(0);
    expect(await checkInvariants(lake, TEST_KEY, 'strict')).toEqual([]);
    // The quarantine files hold exactly the records the ledger counts as quarantined.
    const filed = Object.values(await quarantineCounts(lake)).reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
    expect(filed).toBe(quarantined);
  });
});

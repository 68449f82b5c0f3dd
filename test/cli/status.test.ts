import { describe, expect, it } from 'vitest';
import { generateLake } from '../../src/generator/index.js';
import { runCli, tempDir, TEST_KEY } from '../helpers/lake-files.js';

describe('stedi status and stedi runs', () => {
  it('show every table per zone, the last run and its ledger, also as JSON', async () => {
    const lake = await tempDir('status');
    const { expected } = await generateLake({ out: lake, customers: 60, seed: 3, badRate: 0.02 });
    expect((await runCli(['run', '--lake', lake, '--quiet'], { STEDI_PSEUDONYM_KEY: TEST_KEY })).code).toBe(0);

    const status = JSON.parse((await runCli(['status', '--lake', lake, '--json'])).stdout) as {
      tables: { table: string; rows: number | null }[];
      lastRun: { outcome: string; jobs: { job: string; ledger: { quarantined: Record<string, number> } }[] };
    };
    const rows = Object.fromEntries(status.tables.map((t) => [t.table, t.rows]));
    expect(rows).toEqual({ ...expected.landing, ...expected.strict });
    expect(status.lastRun.outcome).toBe('succeeded');
    expect(status.lastRun.jobs.map((j) => j.job)).toEqual(Object.keys(expected.ledger.strict));
    expect(status.lastRun.jobs[0]?.ledger.quarantined).toEqual(expected.quarantine.customer_landing);

    const text = (await runCli(['status', '--lake', lake])).stdout;
    expect(text).toMatch(/curated\s+machine_learning_curated\s+[\d,]+\s+1\s+step_trainer\/curated/);
    expect(text).toMatch(/ledger of the last run/);
    expect(text).toMatch(/quarantined: .*invalid_json \d+/);

    const runs = JSON.parse((await runCli(['runs', '--lake', lake, '--json'])).stdout) as unknown[];
    expect(runs).toHaveLength(1);
  });
});

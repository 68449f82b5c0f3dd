/**
 * The DuckDB engine's fast landing reader takes a file only when every line is a plain JSON object
 * with exactly the contract's keys and types; anything else is left to the line-by-line path.
 * And a fast file holding a bad value still yields a quarantine record with its line number.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { readParquet, tempDir, TEST_KEY, writeLanding } from '../helpers/lake-files.js';

const T = 1_655_000_000_000;
const good = (i: number): string => JSON.stringify({ user: `u${i}@x.com`, timestamp: T + i, x: 0.5, y: -1, z: 2 });
const fields = [
  { name: 'user', json: 'string' },
  { name: 'timestamp', json: 'number' },
  { name: 'x', json: 'number' },
  { name: 'y', json: 'number' },
  { name: 'z', json: 'number' },
] as const;

describe('DuckDB fast landing reader', () => {
  it('reads only the files whose every line is plain and exactly shaped', async () => {
    const dir = await tempDir('fast-reader');
    const write = async (name: string, lines: string[]): Promise<string> => {
      const file = path.join(dir, name);
      await fs.writeFile(file, `${lines.join('\n')}\n`);
      return file;
    };
    const clean = await write('clean.json', [good(1), good(2), '', good(3)]);
    const badValue = await write('bad-value.json', [good(1), JSON.stringify({ user: 'not-an-email', timestamp: T, x: 1, y: 1, z: 1 })]);
    const cases = [
      await write('string-number.json', [good(1), '{"user":"a@x.com","timestamp":"1655000000000","x":1,"y":1,"z":1}']),
      await write('extra-key.json', [good(1), '{"user":"a@x.com","timestamp":1655000000000,"x":1,"y":1,"z":1,"k":1}']),
      await write('trailing-comma.json', [good(1), '{"user":"a@x.com","timestamp":1655000000000,"x":1,"y":1,"z":1,}']),
      await write('spaces.json', [good(1), '{"user": "a@x.com", "timestamp": 1655000000000, "x": 1, "y": 1, "z": 1}']),
      await write('boolean.json', [good(1), '{"user":"a@x.com","timestamp":1655000000000,"x":true,"y":1,"z":1}']),
      await write('missing.json', [good(1), '{"user":"a@x.com","timestamp":1655000000000,"x":1,"y":1}']),
      await write('malformed.json', [good(1), '{"user":"a@x.com","timestamp":16550']),
      await write('array-string.json', [good(1), '{"user":["a@x.com"],"timestamp":1655000000000,"x":1,"y":1,"z":1}']),
    ];
    const engine = await DuckDbEngine.open();
    try {
      const read = await engine.readCleanLanding([clean, badValue, ...cases.filter((f) => !f.endsWith('malformed.json'))], fields, 'fast');
      expect(read.sort()).toEqual([badValue, clean].sort());
      const rows = await engine.query<{ n: bigint }>('SELECT count(*) AS n FROM fast');
      expect(Number(rows[0]?.n)).toBe(5);
      // One unparseable line anywhere: nothing is read fast, the line path will name it.
      expect(await engine.readCleanLanding([clean, ...cases], fields, 'fast2')).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('quarantines a bad value found in a fast-read file with its line number', async () => {
    const lake = await tempDir('fast-bad-value');
    await writeLanding(lake, 'customer', [
      { customerName: 'A', email: 'u1@x.com', phone: '1', birthDay: '1990-01-01', serialNumber: 's', registrationDate: T, lastUpdateDate: T, shareWithResearchAsOfDate: T, shareWithPublicAsOfDate: null, shareWithFriendsAsOfDate: null },
    ]);
    await writeLanding(lake, 'accelerometer', [good(1), good(2), JSON.stringify({ user: 'nope', timestamp: T, x: 1, y: 1, z: 1 }), good(3)]);
    await writeLanding(lake, 'step_trainer', [JSON.stringify({ sensorReadingTime: T + 1, serialNumber: 's', distanceFromObject: 3 })]);
    const run = await runPipeline({ lake, pseudonymKey: TEST_KEY });
    expect(run.jobs.find((j) => j.job === 'accelerometer_landing_to_trusted')?.ledger.quarantined).toEqual({ not_an_email: 1 });
    const quarantine = await readParquet(new LakeLayout(lake).quarantineFile('accelerometer_landing'));
    expect(quarantine.map((r) => [r.line_number, r.rule, r.field])).toEqual([[3, 'not_an_email', 'user']]);
  });
});

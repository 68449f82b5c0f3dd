/**
 * Bad input is safe: a clear one-line error naming the file (and line), a non-zero exit, and
 * every published table left exactly as it was.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LakeLayout } from '../../src/lake/layout.js';
import { tablesInZone, type TableName } from '../../src/lake/tables.js';
import { readParquet, readTable, runCli, tempDir, TEST_KEY, writeLanding } from '../helpers/lake-files.js';

const T0 = 1_655_000_000_000;
const goodCustomer = {
  customerName: 'A',
  email: 'a@x.com',
  phone: '1',
  birthDay: '1990-01-01',
  serialNumber: 's-a',
  registrationDate: T0,
  lastUpdateDate: T0,
  shareWithResearchAsOfDate: T0,
  shareWithPublicAsOfDate: null,
  shareWithFriendsAsOfDate: null,
};
const goodAccel = { user: 'a@x.com', timestamp: T0 + 1, x: 1, y: 2, z: 3 };
const goodStep = { sensorReadingTime: T0 + 1, serialNumber: 's-a', distanceFromObject: 200 };
const env = { STEDI_PSEUDONYM_KEY: TEST_KEY };

/** A lake that has been run once, so every trusted and curated table has a version to protect. */
async function publishedLake(): Promise<string> {
  const lake = await tempDir('bad-input');
  await writeLanding(lake, 'customer', [goodCustomer]);
  await writeLanding(lake, 'accelerometer', [goodAccel]);
  await writeLanding(lake, 'step_trainer', [goodStep]);
  const first = await runCli(['run', '--lake', lake, '--quiet'], env);
  expect(first.code, first.stderr).toBe(0);
  return lake;
}

async function tableBytes(lake: string): Promise<Map<string, string>> {
  const layout = new LakeLayout(lake);
  const bytes = new Map<string, string>();
  for (const spec of [...tablesInZone('trusted'), ...tablesInZone('curated')]) {
    bytes.set(spec.name, (await fs.readFile(layout.tableFile(spec.name))).toString('base64'));
  }
  return bytes;
}

async function expectRefused(lake: string, pattern: RegExp): Promise<void> {
  const before = await tableBytes(lake);
  const result = await runCli(['run', '--lake', lake], env);
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  const errorLine = lines.at(-1) ?? '';
  expect(errorLine).toMatch(/^stedi: /);
  expect(errorLine).toMatch(pattern);
  expect(await tableBytes(lake)).toEqual(before);
}

describe('bad input', () => {
  let template: string;
  beforeAll(async () => {
    template = await publishedLake();
  });
  const copy = async (): Promise<string> => {
    const lake = await tempDir('bad-copy');
    await fs.cp(template, lake, { recursive: true });
    return lake;
  };

  it('refuses a missing lake folder', async () => {
    const result = await runCli(['run', '--lake', '/nonexistent/lake'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^stedi: lake folder \/nonexistent\/lake does not exist/);
  });

  it('refuses a lake without landing files, naming the folder', async () => {
    const lake = await copy();
    await fs.rm(path.join(lake, 'step_trainer/landing'), { recursive: true });
    await expectRefused(lake, /no landing files in .*step_trainer\/landing/);
  });

  it('refuses an unreadable landing file, naming it', async () => {
    const lake = await copy();
    const broken = path.join(lake, 'accelerometer/landing/accelerometer-1800000000000.json');
    await fs.symlink(path.join(lake, 'does-not-exist'), broken);
    await expectRefused(lake, /cannot read landing file .*accelerometer-1800000000000\.json: ENOENT/);
  });

  it('quarantines bad records with file, line, rule and field, and runs on', async () => {
    const lake = await copy();
    const { serialNumber: _omitted, ...noSerial } = goodStep;
    const stepFile = await writeLanding(lake, 'step_trainer', [goodStep, '', noSerial, '{"sensorReadingTime": 12'], 1_800_000_000_000);
    const accelFile = path.join(lake, 'accelerometer/landing/accelerometer-1800000000000.json');
    await fs.writeFile(
      accelFile,
      Buffer.concat([Buffer.from(`${JSON.stringify({ ...goodAccel, timestamp: 'yesterday' })}\n{"user":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]),
    );
    const result = await runCli(['run', '--lake', lake, '--quiet'], env);
    expect(result.code, result.stderr).toBe(0);
    const quarantine = async (table: TableName): Promise<unknown[]> =>
      (await readParquet(new LakeLayout(lake).quarantineFile(table))).map((r) => [r.source_file, r.line_number, r.rule, r.field]);
    expect(await quarantine('step_trainer_landing')).toEqual([
      [stepFile, 3, 'missing_field', 'serialNumber'],
      [stepFile, 4, 'invalid_json', null],
    ]);
    expect(await quarantine('accelerometer_landing')).toEqual([
      [accelFile, 1, 'not_a_number', 'timestamp'],
      [accelFile, 2, 'invalid_json', null],
    ]);
    // The valid duplicate of the good reading still counts once; nothing else changed.
    expect(await readTable(lake, 'step_trainer_trusted')).toHaveLength(1);
  });

  it('refuses to build the machine-learning table without a pseudonym key', async () => {
    const lake = await copy();
    const before = await tableBytes(lake);
    const result = await runCli(['run', '--lake', lake], { STEDI_PSEUDONYM_KEY: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/STEDI_PSEUDONYM_KEY is not set/);
    expect(await tableBytes(lake)).toEqual(before);
  });
});

describe('the run lock', () => {
  it('refuses a second run while a live process holds the lake, and takes over a dead one', async () => {
    const lake = await tempDir('lock');
    await writeLanding(lake, 'customer', [goodCustomer]);
    await writeLanding(lake, 'accelerometer', [goodAccel]);
    await writeLanding(lake, 'step_trainer', [goodStep]);
    const lockFile = new LakeLayout(lake).lockFile;
    await fs.mkdir(path.dirname(lockFile), { recursive: true });
    await fs.writeFile(lockFile, `${process.pid}\n`); // this test process: alive
    const held = await runCli(['run', '--lake', lake], env);
    expect(held.code).toBe(1);
    expect(held.stderr).toMatch(new RegExp(`another run \\(pid ${process.pid}\\) is working on the lake`));
    await fs.writeFile(lockFile, '999999999\n'); // no such process
    expect((await runCli(['run', '--lake', lake, '--quiet'], env)).code).toBe(0);
    await expect(fs.stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

/**
 * `--bad-rate`: every injected line is what its label says under an independent reading of
 * docs/data-quality.md (spec-checker.ts), expected.json's quarantine, warnings and ledger equal a
 * recount of the lake read back from disk, every ledger balances, and generation stays
 * deterministic with the valid lines untouched.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCELEROMETER_KINDS, CUSTOMER_KINDS, STEP_TRAINER_KINDS } from '../../src/generator/bad-records.js';
import { computeExpectations, POLICIES } from '../../src/generator/expectations.js';
import { generateLake, JOB_OUTPUT, type ExpectedFile } from '../../src/generator/generate-lake.js';
import { assembleLedger, countReadingLedger, customerStatuses, isBalanced, JOB_NAMES } from '../../src/generator/ledger.js';
import { Prng } from '../../src/generator/prng.js';
import type { AccelerometerReading, CustomerRecord, StepTrainerReading } from '../../src/generator/records.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { LANDING_SOURCES, LANDING_TABLE, type LandingSource } from '../../src/lake/tables.js';
import { checkLine, splitLines, type Verdict } from './spec-checker.js';
import { withTempDir } from './lake-files.js';

type LandingKey = 'customer_landing' | 'accelerometer_landing' | 'step_trainer_landing';
const tableOf = (source: LandingSource): LandingKey => LANDING_TABLE[source] as LandingKey;

const APPLICABLE: Record<LandingSource, string[]> = {
  customer: ['invalid_json', 'not_an_object', 'missing_field', 'not_a_string', 'empty_string', 'not_an_email', 'not_a_number', 'not_an_integer', 'time_before_2000', 'time_in_future'],
  accelerometer: ['invalid_json', 'not_an_object', 'missing_field', 'not_a_string', 'not_an_email', 'not_a_number', 'not_an_integer', 'time_before_2000', 'time_in_future', 'not_finite'],
  step_trainer: ['invalid_json', 'not_an_object', 'missing_field', 'not_a_string', 'empty_string', 'not_a_number', 'not_an_integer', 'time_before_2000', 'time_in_future', 'negative'],
};

async function rawLines(root: string, source: LandingSource): Promise<Buffer[]> {
  const dir = new LakeLayout(root).landingDir(source);
  const millis = (name: string): number => Number(name.slice(source.length + 1, -'.json'.length));
  const names = (await readdir(dir)).sort((a, b) => millis(a) - millis(b));
  const lines: Buffer[] = [];
  for (const name of names) lines.push(...splitLines(await readFile(path.join(dir, name))));
  return lines;
}

interface Recount {
  lines: Record<LandingSource, Buffer[]>;
  verdicts: Record<LandingSource, Verdict[]>;
  landing: Record<LandingKey, number>;
  quarantine: Record<LandingKey, Record<string, number>>;
  warnings: Record<LandingKey, Record<string, number>>;
  valid: Record<LandingSource, Record<string, unknown>[]>;
}

async function recount(root: string): Promise<Recount> {
  const r: Recount = {
    lines: { customer: [], accelerometer: [], step_trainer: [] },
    verdicts: { customer: [], accelerometer: [], step_trainer: [] },
    landing: { customer_landing: 0, accelerometer_landing: 0, step_trainer_landing: 0 },
    quarantine: { customer_landing: {}, accelerometer_landing: {}, step_trainer_landing: {} },
    warnings: { customer_landing: {}, accelerometer_landing: {}, step_trainer_landing: {} },
    valid: { customer: [], accelerometer: [], step_trainer: [] },
  };
  const bump = (counts: Record<string, number>, key: string): void => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const source of LANDING_SOURCES) {
    const table = tableOf(source);
    r.lines[source] = await rawLines(root, source);
    for (const line of r.lines[source]) {
      const verdict = checkLine(source, line);
      r.verdicts[source].push(verdict);
      if (verdict.kind === 'blank') continue;
      r.landing[table]++;
      if (verdict.kind === 'bad') bump(r.quarantine[table], verdict.rule);
      else {
        r.valid[source].push(verdict.record);
        for (const w of verdict.warnings) bump(r.warnings[table], w);
      }
    }
  }
  return r;
}

const sorted = (counts: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));

describe('a 300-customer lake at bad rate 0.02', () => {
  let root: string;
  let expected: ExpectedFile;
  let counted: Recount;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'stedi-bad-'));
    expected = (await generateLake({ out: root, customers: 300, seed: 7, badRate: 0.02 })).expected;
    counted = await recount(root);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('has every error rule applicable to each source, at least once', () => {
    for (const source of LANDING_SOURCES) {
      expect(Object.keys(expected.quarantine[tableOf(source)]).sort(), source).toEqual([...APPLICABLE[source]].sort());
    }
    expect(Object.keys(expected.warnings.customer_landing).sort()).toEqual(['odd_birthday', 'phone_not_digits', 'unknown_field']);
    expect(Object.keys(expected.warnings.accelerometer_landing)).toEqual(['unknown_field']);
    expect(Object.keys(expected.warnings.step_trainer_landing)).toEqual(['unknown_field']);
    expect(expected.formatVersion).toBe(2);
    expect(expected.badRate).toBe(0.02);
  });

  it('says how many lines each rule quarantines and each warning flags, as an independent checker counts them', () => {
    expect(counted.landing).toEqual(expected.landing);
    for (const table of ['customer_landing', 'accelerometer_landing', 'step_trainer_landing'] as const) {
      expect(sorted(counted.quarantine[table]), table).toEqual(expected.quarantine[table]);
      expect(sorted(counted.warnings[table]), table).toEqual(expected.warnings[table]);
    }
  });

  it('has table counts and a ledger equal to a whole-lake recount of the valid records read back', () => {
    const customers = counted.valid.customer as unknown as CustomerRecord[];
    const accelerometer = counted.valid.accelerometer as unknown as AccelerometerReading[];
    const stepTrainer = counted.valid.step_trainer as unknown as StepTrainerReading[];
    const tables = computeExpectations(customers, accelerometer, stepTrainer);
    expect(tables.strict).toEqual(expected.strict);
    expect(tables.lenient).toEqual(expected.lenient);
    const statuses = customerStatuses(customers);
    const quarantine = { customer_landing: sorted(counted.quarantine.customer_landing), accelerometer_landing: sorted(counted.quarantine.accelerometer_landing), step_trainer_landing: sorted(counted.quarantine.step_trainer_landing) };
    expect(assembleLedger(statuses, countReadingLedger(statuses, accelerometer, stepTrainer), quarantine)).toEqual(expected.ledger);
  });

  it('exercises every ledger reason the generated data can reach', () => {
    const reasons = new Set<string>();
    for (const job of JOB_NAMES) for (const reason of Object.keys(expected.ledger.strict[job].removed)) reasons.add(reason);
    expect([...reasons].sort()).toEqual(
      ['ambiguous_customer', 'ambiguous_serial', 'before_consent', 'conflicting_distance', 'duplicate', 'no_accelerometer_data', 'no_accelerometer_match', 'no_consent', 'not_curated', 'superseded', 'unknown_customer', 'unknown_serial', 'withdrawn'].sort(),
    );
    expect(expected.ledger.strict.machine_learning_curated.added.accelerometer_pairs).toBeGreaterThan(0);
  });

  it('holds the hostile lines: huge lines, control and non-UTF-8 bytes, blanks, injection-looking and unicode names', () => {
    const all = LANDING_SOURCES.flatMap((s) => counted.lines[s]);
    expect(all.some((l) => l.length > 200_000 && checkLine('customer', l).kind === 'valid')).toBe(true);
    for (const source of LANDING_SOURCES) {
      const lines = counted.lines[source];
      expect(lines.some((l) => l.length > 200_000 && checkLine(source, l).kind === 'bad'), source).toBe(true);
      expect(lines.some((l) => l.includes(0x01)), source).toBe(true);
      expect(lines.some((l) => !isUtf8(l)), source).toBe(true);
      expect(counted.verdicts[source].some((v) => v.kind === 'blank'), source).toBe(true);
    }
    const names = new Set(counted.valid.customer.map((c) => c.customerName));
    for (const name of ["Robert'); DROP TABLE customer;--", '{{7*7}}', "<script>alert('x')</script>", '李小龍', '']) expect(names.has(name), name).toBe(true);
    expect(counted.valid.accelerometer.some((r) => r.x === 1e300 || r.y === 1e300 || r.z === 1e300 || Math.abs(r.x as number) > 1e299 || Math.abs(r.y as number) > 1e299 || Math.abs(r.z as number) > 1e299)).toBe(true);
  });
});

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

describe('each kind of injected line', () => {
  const now = Date.now();
  const customer: CustomerRecord = {
    customerName: 'Ann Lee',
    email: ' Ann.Lee7@test.com',
    phone: '5551234567',
    birthDay: '1980-05-06',
    serialNumber: '8a1e0e3f-5c9b-4d52-9a47-1b2c3d4e5f60',
    registrationDate: 1655564444000,
    lastUpdateDate: 1655564444000,
    shareWithResearchAsOfDate: 1655564444000,
    shareWithPublicAsOfDate: null,
    shareWithFriendsAsOfDate: 1655564444000,
  };
  const reading: AccelerometerReading = { user: 'ann.lee7@test.com', timestamp: 1655564444000, x: -0.5, y: 0, z: 1 };
  const stepReading: StepTrainerReading = { sensorReadingTime: 1655564444000, serialNumber: customer.serialNumber, distanceFromObject: 312 };

  const cases = [
    ['customer', CUSTOMER_KINDS, customer],
    ['accelerometer', ACCELEROMETER_KINDS, reading],
    ['step_trainer', STEP_TRAINER_KINDS, stepReading],
  ] as const;

  it.each(cases)('%s: violates exactly the rule it is counted under, or is valid with the warning it stands for', (source, kinds, base) => {
    const problems: string[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const prng = new Prng(seed, 'kinds');
      for (const kind of kinds as readonly { name: string; once?: boolean; make: (b: never, p: Prng, ids: { next: number }) => ReturnType<(typeof CUSTOMER_KINDS)[number]['make']> }[]) {
        if (kind.once === true && seed > 0) continue;
        const line = kind.make(base as never, prng, { next: seed });
        const verdict = checkLine(source, typeof line.text === 'string' ? line.text : Buffer.from(line.text), now);
        const describe = `${kind.name}: ${typeof line.text === 'string' ? line.text.slice(0, 120) : '<bytes>'}`;
        if (line.type === 'blank') {
          if (verdict.kind !== 'blank') problems.push(`${describe} is not blank`);
        } else if (line.type === 'bad') {
          if (verdict.kind !== 'bad' || verdict.rule !== line.rule) problems.push(`${describe} counted as ${line.rule}, checker says ${JSON.stringify(verdict)}`);
        } else {
          if (verdict.kind !== 'valid') {
            problems.push(`${describe} should be valid, checker says ${JSON.stringify(verdict)}`);
            continue;
          }
          // The record the generator counts is the one the line holds.
          const { record } = verdict;
          for (const [key, value] of Object.entries(line.record as object)) if (record[key] !== value) problems.push(`${describe}: ${key} differs`);
          if (verdict.warnings.includes('unknown_field') !== line.extraKey) problems.push(`${describe}: unknown_field ${String(line.extraKey)}`);
          if (kind.name.startsWith('warning:') && !verdict.warnings.includes(kind.name.slice('warning:'.length))) problems.push(`${describe}: no ${kind.name}`);
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('ledger balance and table counts at several seeds and rates', () => {
  it.each([
    { seed: 1, customers: 60, badRate: 0 },
    { seed: 2, customers: 60, badRate: 0.01 },
    { seed: 3, customers: 80, badRate: 0.1 },
    { seed: 4, customers: 25, badRate: 0.5 },
    { seed: 5, customers: 5, badRate: 0.05 },
  ])('seed $seed, $customers customers, bad rate $badRate', async ({ seed, customers, badRate }) => {
    await withTempDir(async (dir) => {
      const { expected } = await generateLake({ out: dir, customers, seed, badRate });
      for (const policy of POLICIES) {
        for (const job of JOB_NAMES) {
          const ledger = expected.ledger[policy][job];
          expect(isBalanced(ledger), `${policy} ${job}`).toBe(true);
          expect(ledger.rowsOut, `${policy} ${job}`).toBe(expected[policy][JOB_OUTPUT[job]]);
        }
        const l = expected.ledger[policy];
        expect(l.customer_landing_to_trusted.rowsIn).toBe(expected.landing.customer_landing);
        expect(l.accelerometer_landing_to_trusted.rowsIn).toBe(expected.landing.accelerometer_landing);
        expect(l.step_trainer_landing_to_trusted.rowsIn).toBe(expected.landing.step_trainer_landing);
        expect(l.customer_trusted_to_curated.quarantined).toEqual({});
        expect(l.machine_learning_curated.quarantined).toEqual({});
      }
      if (badRate === 0) {
        expect(expected.quarantine).toEqual({ customer_landing: {}, accelerometer_landing: {}, step_trainer_landing: {} });
      }
      const counted = await recount(dir);
      expect(counted.landing).toEqual(expected.landing);
    });
  });
});

describe('determinism with bad data', () => {
  it('gives byte-identical files for the same seed and rate, and keeps every valid line of the clean lake in order', async () => {
    await withTempDir(async (a) =>
      withTempDir(async (b) =>
        withTempDir(async (clean) => {
          const first = await generateLake({ out: a, customers: 50, seed: 9, badRate: 0.05 });
          const second = await generateLake({ out: b, customers: 50, seed: 9, badRate: 0.05 });
          await generateLake({ out: clean, customers: 50, seed: 9 });
          expect(second.expected).toEqual(first.expected);
          for (const source of LANDING_SOURCES) {
            const linesA = await rawLines(a, source);
            expect(Buffer.concat(await rawLines(b, source)).equals(Buffer.concat(linesA)), source).toBe(true);
            // The clean lake's lines are a subsequence of the bad lake's: injection only adds.
            const cleanLines = (await rawLines(clean, source)).map((l) => l.toString('latin1'));
            let next = 0;
            for (const line of linesA) if (next < cleanLines.length && line.toString('latin1') === cleanLines[next]) next++;
            expect(next, source).toBe(cleanLines.length);
            expect(linesA.length, source).toBeGreaterThan(cleanLines.length);
          }
        }),
      ),
    );
  });
});

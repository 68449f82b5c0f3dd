/**
 * The expectation rules on a handcrafted lake whose every count is derived by hand below. Each
 * customer exercises one rule; the comments give the arithmetic.
 */
import { describe, expect, it } from 'vitest';
import {
  addReadingCounts,
  computeExpectations,
  countReadings,
  emptyReadingCounts,
  resolveCustomers,
} from '../../src/generator/expectations.js';
import type { AccelerometerReading, CustomerRecord, StepTrainerReading } from '../../src/generator/records.js';
import { acc, customer, step } from './record-builders.js';


const customers: CustomerRecord[] = [
  customer('Ann@x.com', 'SA', 100, 100), // A: trusted, consent 100
  customer('bob@x.com', 'SB', 100, null), // B: grants consent only in the later record,
  customer(' BOB@x.com ', 'SB', 200, 150), //    written with another case and spaces: consent 150
  customer('cy@x.com', 'SC', 300, null), // C: withdrew; the later record comes first in the file
  customer('cy@x.com', 'SC', 100, 100),
  customer('dee@x.com', 'SD', 100, 100, '111'), // D: two different records at the greatest date:
  customer('dee@x.com', 'SD', 100, 100, '222'), //    ambiguous, held back
  customer('eve@x.com', 'SE', 100, 100), // E: trusted, but shares SE with F (no consent)
  customer('fay@x.com', 'SE', 100, null),
  customer('gus@x.com', 'SG', 100, 500), // G: consent 500, after all his readings;
  customer('GUS@x.com', 'SG', 100, 500), //    same record again, email differs only by case
  customer('hal@x.com', 'SD', 100, 100), // H: trusted, serial SD also claimed by held-back D
];

const accelerometer: AccelerometerReading[] = [
  acc('Ann@x.com', 100, 1, 2, 3),
  acc('Ann@x.com', 100, 4, 5, 6),
  acc(' ANN@X.COM', 100, 1, 2, 3), // duplicate of the first by key
  acc('Ann@x.com', 200, 0),
  acc('Ann@x.com', 50, 1), // before A's consent
  acc('bob@x.com', 100, 1), // before B's consent
  acc('bob@x.com', 150, 2), // exactly at B's consent: kept
  acc('cy@x.com', 100, 1),
  acc('dee@x.com', 100, 1),
  acc('eve@x.com', 100, 1),
  acc('gus@x.com', 100, 1), // before G's consent
  acc('hal@x.com', 100, 1), // same millisecond as A's step reading: a stranger to A
  acc('zed@x.com', 100, 1), // no customer
];

const stepTrainer: StepTrainerReading[] = [
  step('SA', 100, 10),
  step('SA', 100, 10), // exact duplicate: one row
  step('SA', 200, 20),
  step('SA', 200, 21), // same key, other distance: the group is held back
  step('SA', 50, 5), // before A's consent
  step('SA', 300, 30), // no accelerometer reading at 300
  step('SB', 150, 15),
  step('SB', 100, 14), // before B's consent
  step('SE', 100, 1), // ambiguous serial
  step('SD', 100, 1), // ambiguous serial (claimed by held-back D and by H)
  step('SG', 100, 1), // G is curated only under the lenient policy
  step('SC', 100, 1), // C is not trusted
  step('SX', 100, 1), // nobody's serial
];

describe('expectation rules on a handcrafted lake', () => {
  const expected = computeExpectations(customers, accelerometer, stepTrainer);

  it('counts landing lines as they are', () => {
    expect(expected.landing).toEqual({ customer_landing: 12, accelerometer_landing: 13, step_trainer_landing: 13 });
  });

  it('applies the strict policy', () => {
    expect(expected.strict).toEqual({
      customer_trusted: 5, // A, B, E, G, H
      accelerometer_trusted: 6, // A: 2 at 100 + 1 at 200; B: 1 at 150; E: 1; H: 1
      customer_curated: 4, // A, B, E, H (G's only reading predates consent)
      step_trainer_trusted: 3, // SA@100, SA@300, SB@150
      machine_learning_curated: 3, // SA@100 x A's 2 rows at 100; SA@300 x 0; SB@150 x 1
    });
  });

  it('applies the lenient policy', () => {
    expect(expected.lenient).toEqual({
      customer_trusted: 5,
      accelerometer_trusted: 9, // strict 6 + A@50 + B@100 + G@100
      customer_curated: 5, // + G
      step_trainer_trusted: 6, // strict 3 + SA@50 + SB@100 + SG@100
      machine_learning_curated: 6, // strict 3 + A@50 x 1 + B@100 x 1 + G@100 x 1
    });
  });

  it('reports the breakdown', () => {
    expect(expected.breakdown).toEqual({
      emailKeys: 8,
      ambiguousCustomers: 1, // D
      ambiguousSerials: 2, // SE, SD
      accelerometerFromNonCustomers: 1, // zed
      accelerometerBeforeConsent: 3, // A@50, B@100, G@100
      duplicateAccelerometerReadings: 1,
      stepTrainerFromUnknownSerials: 1, // SX
      stepTrainerOnAmbiguousSerials: 2,
      duplicateStepTrainerReadings: 1, // SA@100
      conflictingStepTrainerKeys: 1, // SA@200
      stepTrainerKeysHeldBack: { strict: 1, lenient: 1 },
    });
  });

  it('gives the same totals when readings are counted one customer at a time', () => {
    const resolved = resolveCustomers(customers);
    const totals = emptyReadingCounts();
    const owners = ['ann', 'bob', 'cy', 'dee', 'eve', 'gus', 'hal', 'zed'];
    const serialOf: Record<string, string> = { ann: 'SA', bob: 'SB', cy: 'SC', dee: 'SD', eve: 'SE', gus: 'SG', hal: 'SX' };
    for (const owner of owners) {
      const mine = accelerometer.filter((r) => r.user.trim().toLowerCase().startsWith(owner));
      const steps = stepTrainer.filter((r) => r.serialNumber === serialOf[owner]);
      addReadingCounts(totals, countReadings(resolved, mine, steps));
    }
    const whole = countReadings(resolved, accelerometer, stepTrainer);
    expect(totals).toEqual(whole);
  });

  it('holds back every customer when all current records conflict, and then no serial has an owner', () => {
    const result = computeExpectations(
      [customer('a@x.com', 'S1', 100, 100, '1'), customer('A@X.COM', 'S1', 100, 100, '2')],
      [acc('a@x.com', 100, 1)],
      [step('S1', 100, 1)],
    );
    expect(result.strict.customer_trusted).toBe(0);
    expect(result.lenient.machine_learning_curated).toBe(0);
    // One email key claims S1 (twice), so the serial itself is not ambiguous.
    expect(result.breakdown.ambiguousSerials).toBe(0);
  });
});

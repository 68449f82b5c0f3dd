/**
 * The ledger rules of docs/data-quality.md on a handcrafted lake; every count is derived by hand in
 * the comments. The table counts of expectations.ts must equal each job's rows out.
 */
import { describe, expect, it } from 'vitest';
import { computeExpectations } from '../../src/generator/expectations.js';
import { assembleLedger, countReadingLedger, customerStatuses, isBalanced, JOB_NAMES } from '../../src/generator/ledger.js';
import { JOB_OUTPUT } from '../../src/generator/generate-lake.js';
import type { AccelerometerReading, CustomerRecord, StepTrainerReading } from '../../src/generator/records.js';
import { acc, customer, step } from './record-builders.js';

const customers: CustomerRecord[] = [
  customer('ann@x.com', 'SA', 100, 100), // A: trusted (consent 100)
  customer(' ANN@x.com', 'SA', 100, 100), //    an identical copy of the current record: duplicate
  customer('bob@x.com', 'SBOLD', 100, null), // B: superseded (its serial SBOLD is claimed by nobody)
  customer('bob@x.com', 'SB', 200, 150), //    trusted (consent 150)
  customer('cy@x.com', 'SC', 300, null), // C: current state without consent, an older one had it:
  customer('cy@x.com', 'SC', 100, 100), //    withdrawn; superseded
  customer('dee@x.com', 'SD', 50, 100), // D: superseded,
  customer('dee@x.com', 'SD', 100, 100, '111'), //    then two different latest records:
  customer('dee@x.com', 'SD', 100, 100, '222'), //    ambiguous_customer x2
  customer('eve@x.com', 'SE', 100, 100), // E: trusted, shares SE with F: ambiguous_serial
  customer('fay@x.com', 'SE', 100, null), // F: no_consent
  customer('gus@x.com', 'SG', 100, 500), // G: trusted (consent 500), every reading before it
  customer('hal@x.com', 'SH', 100, 100), // H: trusted, no accelerometer reading at all
  customer('ivy@x.com', 'SI', 100, null), // I: no_consent
];

const accelerometer: AccelerometerReading[] = [
  acc('ann@x.com', 100, 1, 2, 3), // kept
  acc('ann@x.com', 100, 4, 5, 6), // kept
  acc(' ANN@X.COM', 100, 1, 2, 3), // duplicate (same key, time, values)
  acc('ann@x.com', 50, 1), // strict: before_consent; lenient: kept
  acc('ann@x.com', 200, 0), // kept
  acc('bob@x.com', 100, 1), // strict: before_consent; lenient: kept
  acc('bob@x.com', 150, 2), // exactly at consent: kept
  acc('cy@x.com', 100, 1), // withdrawn
  acc('dee@x.com', 100, 1), // ambiguous_customer
  acc('eve@x.com', 100, 1), // kept
  acc('fay@x.com', 100, 1), // no_consent
  acc('gus@x.com', 100, 1), // strict: before_consent; lenient: kept
  acc('zed@x.com', 100, 1), // unknown_customer
  acc('ann@x.com', 50, 1), // strict: before_consent; lenient: duplicate
];

const stepTrainer: StepTrainerReading[] = [
  step('SA', 100, 10), // kept; pairs with A's two readings at 100
  step('SA', 100, 10), // duplicate
  step('SA', 200, 20), // conflicting_distance
  step('SA', 200, 21), // conflicting_distance
  step('SA', 50, 5), // strict: before_consent; lenient: kept, pairs with A@50
  step('SA', 300, 30), // kept; no accelerometer reading of A at 300: no_accelerometer_match
  step('SB', 150, 15), // kept; pairs with B@150
  step('SB', 100, 14), // strict: before_consent; lenient: kept, pairs with B@100
  step('SE', 100, 1), // ambiguous_serial
  step('SD', 100, 1), // claimed by D alone: ambiguous_customer
  step('SG', 100, 1), // strict: not_curated (G has no kept reading); lenient: kept, pairs with G@100
  step('SC', 100, 1), // withdrawn
  step('SX', 100, 1), // unknown_serial
  step('SH', 100, 1), // not_curated (H has no reading)
  step('SI', 100, 1), // no_consent
  step('SBOLD', 100, 1), // only a superseded record carries it: unknown_serial
];

const quarantine = {
  customer_landing: { invalid_json: 2, not_an_email: 1 },
  accelerometer_landing: { not_finite: 1 },
  step_trainer_landing: { negative: 1 },
};

describe('the ledger on a handcrafted lake', () => {
  const statuses = customerStatuses(customers);
  const ledger = assembleLedger(statuses, countReadingLedger(statuses, accelerometer, stepTrainer), quarantine);

  it('customer_landing_to_trusted', () => {
    const expected = {
      rowsIn: 14 + 3,
      rowsOut: 5, // A, B, E, G, H
      removed: { ambiguous_customer: 2, duplicate: 1, no_consent: 2, superseded: 3, withdrawn: 1 },
      quarantined: { invalid_json: 2, not_an_email: 1 },
      added: {},
    };
    expect(ledger.strict.customer_landing_to_trusted).toEqual(expected);
    expect(ledger.lenient.customer_landing_to_trusted).toEqual(expected);
  });

  it('accelerometer_landing_to_trusted', () => {
    const common = { ambiguous_customer: 1, no_consent: 1, unknown_customer: 1, withdrawn: 1 };
    expect(ledger.strict.accelerometer_landing_to_trusted).toEqual({
      rowsIn: 15,
      rowsOut: 5,
      removed: { ...common, before_consent: 4, duplicate: 1 },
      quarantined: { not_finite: 1 },
      added: {},
    });
    expect(ledger.lenient.accelerometer_landing_to_trusted).toEqual({
      rowsIn: 15,
      rowsOut: 8,
      removed: { ...common, duplicate: 2 },
      quarantined: { not_finite: 1 },
      added: {},
    });
  });

  it('customer_trusted_to_curated', () => {
    // Strict: G (readings before consent) and H (none) have no trusted reading; lenient: only H.
    expect(ledger.strict.customer_trusted_to_curated).toEqual({ rowsIn: 5, rowsOut: 3, removed: { no_accelerometer_data: 2 }, quarantined: {}, added: {} });
    expect(ledger.lenient.customer_trusted_to_curated).toEqual({ rowsIn: 5, rowsOut: 4, removed: { no_accelerometer_data: 1 }, quarantined: {}, added: {} });
  });

  it('step_trainer_landing_to_trusted', () => {
    const common = { ambiguous_customer: 1, ambiguous_serial: 1, conflicting_distance: 2, duplicate: 1, no_consent: 1, unknown_serial: 2, withdrawn: 1 };
    expect(ledger.strict.step_trainer_landing_to_trusted).toEqual({
      rowsIn: 17,
      rowsOut: 3, // SA@100, SA@300, SB@150
      removed: { ...common, before_consent: 2, not_curated: 2 },
      quarantined: { negative: 1 },
      added: {},
    });
    expect(ledger.lenient.step_trainer_landing_to_trusted).toEqual({
      rowsIn: 17,
      rowsOut: 6, // + SA@50, SB@100, SG@100
      removed: { ...common, not_curated: 1 },
      quarantined: { negative: 1 },
      added: {},
    });
  });

  it('machine_learning_curated', () => {
    // Strict: SA@100 x 2, SA@300 x 0, SB@150 x 1: 3 pairs from 2 paired rows.
    expect(ledger.strict.machine_learning_curated).toEqual({
      rowsIn: 3,
      rowsOut: 3,
      removed: { no_accelerometer_match: 1 },
      quarantined: {},
      added: { accelerometer_pairs: 1 },
    });
    // Lenient: + SA@50 x 1, SB@100 x 1, SG@100 x 1.
    expect(ledger.lenient.machine_learning_curated).toEqual({
      rowsIn: 6,
      rowsOut: 6,
      removed: { no_accelerometer_match: 1 },
      quarantined: {},
      added: { accelerometer_pairs: 1 },
    });
  });

  it('balances every job, and rows out equal the independently computed table counts', () => {
    const tables = computeExpectations(customers, accelerometer, stepTrainer);
    for (const policy of ['strict', 'lenient'] as const) {
      for (const job of JOB_NAMES) {
        expect(isBalanced(ledger[policy][job]), `${policy} ${job}`).toBe(true);
        expect(ledger[policy][job].rowsOut, `${policy} ${job}`).toBe(tables[policy][JOB_OUTPUT[job]]);
      }
    }
  });

  it('keeps the customer states by status', () => {
    expect(Object.fromEntries(statuses.statusByKey)).toEqual({
      'ann@x.com': 'trusted',
      'bob@x.com': 'trusted',
      'cy@x.com': 'withdrawn',
      'dee@x.com': 'ambiguous_customer',
      'eve@x.com': 'trusted',
      'fay@x.com': 'no_consent',
      'gus@x.com': 'trusted',
      'hal@x.com': 'trusted',
      'ivy@x.com': 'no_consent',
    });
  });
});

/**
 * The expected ledger of every job (docs/data-quality.md, "Ledger reasons"), computed in plain
 * TypeScript from the VALID landing records (quarantined records take no part in any job; they
 * only add to the landing jobs' rows in, under `quarantined`).
 *
 * Deliberately written from the specification's text rather than on top of expectations.ts, so
 * that the two computations check each other: every job's rowsOut must equal the table count of
 * expectations.ts (generateLake refuses to write an expectation file where they differ).
 *
 * Readings are counted in partitions and the partial counts added up, with the same condition as
 * expectations.ts: each email key's readings and each single-claimant serial's readings fall in
 * one partition (one customer's session).
 */
import { comparableState, POLICIES, type Policy } from './expectations.js';
import { addCounts, bump, tidyCounts, type Counts } from './quality.js';
import { emailKey, type AccelerometerReading, type CustomerRecord, type StepTrainerReading } from './records.js';

export const JOB_NAMES = [
  'customer_landing_to_trusted',
  'accelerometer_landing_to_trusted',
  'customer_trusted_to_curated',
  'step_trainer_landing_to_trusted',
  'machine_learning_curated',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobLedger {
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly removed: Counts;
  readonly quarantined: Counts;
  readonly added: Counts;
}
export type PolicyLedger = Record<JobName, JobLedger>;
export type LedgerExpectations = Record<Policy, PolicyLedger>;

export type CustomerStatus = 'trusted' | 'ambiguous_customer' | 'withdrawn' | 'no_consent';

export interface CustomerStatuses {
  /** Every email key with at least one valid record. */
  readonly statusByKey: ReadonlyMap<string, CustomerStatus>;
  /** Trusted customers' research consent date. */
  readonly consentByKey: ReadonlyMap<string, number>;
  /** Serial -> email keys one of whose latest records carries it. */
  readonly claimantsBySerial: ReadonlyMap<string, ReadonlySet<string>>;
  /** Job 1 over the valid records (policy does not matter to it). */
  readonly validRecords: number;
  readonly trusted: number;
  readonly removed: Counts;
}


/** Customer statuses and job 1's removals, from every valid customer record. */
export function customerStatuses(records: Iterable<CustomerRecord>): CustomerStatuses {
  const byKey = new Map<string, CustomerRecord[]>();
  let validRecords = 0;
  for (const r of records) {
    validRecords++;
    const key = emailKey(r.email);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [r]);
    else list.push(r);
  }
  const statusByKey = new Map<string, CustomerStatus>();
  const consentByKey = new Map<string, number>();
  const claimantsBySerial = new Map<string, Set<string>>();
  const removed: Counts = {};
  let trusted = 0;
  for (const [key, list] of byKey) {
    const greatest = Math.max(...list.map((r) => r.lastUpdateDate));
    const latest = list.filter((r) => r.lastUpdateDate === greatest);
    bump(removed, 'superseded', list.length - latest.length);
    for (const r of latest) {
      const claimants = claimantsBySerial.get(r.serialNumber) ?? new Set<string>();
      claimants.add(key);
      claimantsBySerial.set(r.serialNumber, claimants);
    }
    if (new Set(latest.map(comparableState)).size > 1) {
      statusByKey.set(key, 'ambiguous_customer');
      bump(removed, 'ambiguous_customer', latest.length);
      continue;
    }
    bump(removed, 'duplicate', latest.length - 1);
    const current = latest[0] as CustomerRecord;
    if (current.shareWithResearchAsOfDate !== null) {
      statusByKey.set(key, 'trusted');
      consentByKey.set(key, current.shareWithResearchAsOfDate);
      trusted++;
    } else {
      const status = list.some((r) => r.shareWithResearchAsOfDate !== null) ? 'withdrawn' : 'no_consent';
      statusByKey.set(key, status);
      bump(removed, status);
    }
  }
  return { statusByKey, consentByKey, claimantsBySerial, validRecords, trusted, removed };
}

/** One policy's counts over a partition of valid readings; partitions add up. */
export interface ReadingLedgerPart {
  accelerometerIn: number;
  accelerometerOut: number;
  accelerometerRemoved: Counts;
  curatedCustomers: number;
  stepTrainerIn: number;
  stepTrainerOut: number;
  stepTrainerRemoved: Counts;
  /** Step-trainer rows with no accelerometer reading of the owner at that millisecond. */
  noAccelerometerMatch: number;
  /** Step-trainer rows that pair, and the pairs they make. */
  pairedRows: number;
  pairs: number;
}

export type ReadingLedgerCounts = Record<Policy, ReadingLedgerPart>;

export function emptyReadingLedger(): ReadingLedgerCounts {
  const part = (): ReadingLedgerPart => ({
    accelerometerIn: 0,
    accelerometerOut: 0,
    accelerometerRemoved: {},
    curatedCustomers: 0,
    stepTrainerIn: 0,
    stepTrainerOut: 0,
    stepTrainerRemoved: {},
    noAccelerometerMatch: 0,
    pairedRows: 0,
    pairs: 0,
  });
  return { strict: part(), lenient: part() };
}

export function addReadingLedger(total: ReadingLedgerCounts, part: ReadingLedgerCounts): void {
  for (const policy of POLICIES) {
    const t = total[policy];
    const p = part[policy];
    t.accelerometerIn += p.accelerometerIn;
    t.accelerometerOut += p.accelerometerOut;
    addCounts(t.accelerometerRemoved, p.accelerometerRemoved);
    t.curatedCustomers += p.curatedCustomers;
    t.stepTrainerIn += p.stepTrainerIn;
    t.stepTrainerOut += p.stepTrainerOut;
    addCounts(t.stepTrainerRemoved, p.stepTrainerRemoved);
    t.noAccelerometerMatch += p.noAccelerometerMatch;
    t.pairedRows += p.pairedRows;
    t.pairs += p.pairs;
  }
}

/** Jobs 2 to 5 for one policy over one partition of valid readings. */
function policyPart(
  customers: CustomerStatuses,
  policy: Policy,
  accelerometer: readonly AccelerometerReading[],
  stepTrainer: readonly StepTrainerReading[],
): ReadingLedgerPart {
  const part = emptyReadingLedger()[policy];
  // Job 2: kept readings per key and millisecond, values compared numerically.
  const kept = new Map<string, Map<number, [number, number, number][]>>();
  part.accelerometerIn = accelerometer.length;
  for (const r of accelerometer) {
    const key = emailKey(r.user);
    const status = customers.statusByKey.get(key);
    if (status === undefined) bump(part.accelerometerRemoved, 'unknown_customer');
    else if (status !== 'trusted') bump(part.accelerometerRemoved, status);
    else if (policy === 'strict' && r.timestamp < (customers.consentByKey.get(key) as number)) bump(part.accelerometerRemoved, 'before_consent');
    else {
      const times = kept.get(key) ?? new Map<number, [number, number, number][]>();
      kept.set(key, times);
      const rows = times.get(r.timestamp) ?? [];
      times.set(r.timestamp, rows);
      if (rows.some(([x, y, z]) => x === r.x && y === r.y && z === r.z)) bump(part.accelerometerRemoved, 'duplicate');
      else {
        rows.push([r.x, r.y, r.z]);
        part.accelerometerOut++;
      }
    }
  }
  // Job 3 (its removals are trusted minus curated, known only once every partition is in).
  part.curatedCustomers = kept.size;

  // Job 4: per kept (serial, time), the distances of its rows.
  part.stepTrainerIn = stepTrainer.length;
  const keptSteps = new Map<string, { owner: string; times: Map<number, number[]> }>();
  for (const r of stepTrainer) {
    const claimants = customers.claimantsBySerial.get(r.serialNumber);
    if (claimants === undefined) {
      bump(part.stepTrainerRemoved, 'unknown_serial');
      continue;
    }
    if (claimants.size > 1) {
      bump(part.stepTrainerRemoved, 'ambiguous_serial');
      continue;
    }
    const owner = [...claimants][0] as string;
    const status = customers.statusByKey.get(owner) as CustomerStatus;
    if (status !== 'trusted') bump(part.stepTrainerRemoved, status);
    else if (!kept.has(owner)) bump(part.stepTrainerRemoved, 'not_curated');
    else if (policy === 'strict' && r.sensorReadingTime < (customers.consentByKey.get(owner) as number)) {
      bump(part.stepTrainerRemoved, 'before_consent');
    } else {
      const serial = keptSteps.get(r.serialNumber) ?? { owner, times: new Map<number, number[]>() };
      keptSteps.set(r.serialNumber, serial);
      const distances = serial.times.get(r.sensorReadingTime) ?? [];
      serial.times.set(r.sensorReadingTime, distances);
      distances.push(r.distanceFromObject);
    }
  }
  for (const { owner, times } of keptSteps.values()) {
    for (const [time, distances] of times) {
      if (new Set(distances).size > 1) {
        bump(part.stepTrainerRemoved, 'conflicting_distance', distances.length);
        continue;
      }
      bump(part.stepTrainerRemoved, 'duplicate', distances.length - 1);
      part.stepTrainerOut++;
      // Job 5: this row pairs with each of the owner's kept readings at that millisecond.
      const matches = kept.get(owner)?.get(time)?.length ?? 0;
      if (matches === 0) part.noAccelerometerMatch++;
      else {
        part.pairedRows++;
        part.pairs += matches;
      }
    }
  }
  return part;
}

export function countReadingLedger(
  customers: CustomerStatuses,
  accelerometer: readonly AccelerometerReading[],
  stepTrainer: readonly StepTrainerReading[],
): ReadingLedgerCounts {
  return {
    strict: policyPart(customers, 'strict', accelerometer, stepTrainer),
    lenient: policyPart(customers, 'lenient', accelerometer, stepTrainer),
  };
}

/** Quarantined records per landing table and rule. */
export interface QuarantineCounts {
  readonly customer_landing: Counts;
  readonly accelerometer_landing: Counts;
  readonly step_trainer_landing: Counts;
}

const sum = (counts: Readonly<Counts>): number => Object.values(counts).reduce((a, b) => a + b, 0);

function job(rowsIn: number, rowsOut: number, removed: Counts, quarantined: Counts = {}, added: Counts = {}): JobLedger {
  return { rowsIn, rowsOut, removed: tidyCounts(removed), quarantined: tidyCounts(quarantined), added: tidyCounts(added) };
}

export function assembleLedger(customers: CustomerStatuses, readings: ReadingLedgerCounts, quarantine: QuarantineCounts): LedgerExpectations {
  const forPolicy = (policy: Policy): PolicyLedger => {
    const r = readings[policy];
    const q = quarantine;
    return {
      customer_landing_to_trusted: job(
        customers.validRecords + sum(q.customer_landing),
        customers.trusted,
        customers.removed,
        q.customer_landing,
      ),
      accelerometer_landing_to_trusted: job(
        r.accelerometerIn + sum(q.accelerometer_landing),
        r.accelerometerOut,
        r.accelerometerRemoved,
        q.accelerometer_landing,
      ),
      customer_trusted_to_curated: job(customers.trusted, r.curatedCustomers, { no_accelerometer_data: customers.trusted - r.curatedCustomers }),
      step_trainer_landing_to_trusted: job(
        r.stepTrainerIn + sum(q.step_trainer_landing),
        r.stepTrainerOut,
        r.stepTrainerRemoved,
        q.step_trainer_landing,
      ),
      machine_learning_curated: job(
        r.stepTrainerOut,
        r.pairs,
        { no_accelerometer_match: r.noAccelerometerMatch },
        {},
        { accelerometer_pairs: r.pairs - r.pairedRows },
      ),
    };
  };
  return { strict: forPolicy('strict'), lenient: forPolicy('lenient') };
}

/** rows in = rows out + removed + quarantined - added. */
export function isBalanced(l: JobLedger): boolean {
  return l.rowsIn === l.rowsOut + sum(l.removed) + sum(l.quarantined) - sum(l.added);
}

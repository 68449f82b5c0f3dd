/**
 * The independent truth: how many rows every table must have, computed in plain TypeScript from
 * the landing records themselves (never with SQL, never with pipeline code), so that a pipeline
 * bug and a generator bug can only agree by accident.
 *
 * The rules (the pipeline implements the same ones independently):
 * - email key = trim + lower-case of `email` / accelerometer `user`;
 * - current state = the records of an email key with the greatest lastUpdateDate; if they differ
 *   (email compared by key) the customer is ambiguous and held back;
 * - customer_trusted = unambiguous current states with research consent;
 * - accelerometer_trusted = distinct (key, timestamp, x, y, z) of trusted customers' readings,
 *   strict policy only: timestamp >= consent date;
 * - customer_curated = trusted customers with at least one accelerometer_trusted row;
 * - a serial is ambiguous when the current-state records of two or more email keys carry it;
 * - step_trainer_trusted = readings of a curated customer's unambiguous serial (strict: at or
 *   after consent), one row per (serial, time) whose readings all agree on the distance; a group
 *   that disagrees is held back whole;
 * - machine_learning_curated = per step_trainer_trusted row, the same customer's
 *   accelerometer_trusted rows at that millisecond.
 *
 * Counting is split so the generator can stream: customers are resolved once (they are few), then
 * readings are counted in partitions and the partial counts added up. That sum is exact as long as
 * each email key's readings and each unambiguous serial's readings fall in a single partition,
 * which holds when a partition is one customer's session (a test checks streaming against a
 * single whole-lake count).
 */
import type { TableName } from '../lake/tables.js';
import { emailKey, type AccelerometerReading, type CustomerRecord, type StepTrainerReading } from './records.js';

export const POLICIES = ['strict', 'lenient'] as const;
export type Policy = (typeof POLICIES)[number];

export type LandingTableName = Extract<TableName, 'customer_landing' | 'accelerometer_landing' | 'step_trainer_landing'>;
export type DerivedTableName = Exclude<TableName, LandingTableName>;
export type DerivedTableCounts = Record<DerivedTableName, number>;

export interface ResolvedCustomers {
  readonly knownEmailKeys: ReadonlySet<string>;
  /** Every serial that appears in any customer record, current or not. */
  readonly knownSerials: ReadonlySet<string>;
  readonly ambiguousCustomers: ReadonlySet<string>;
  /** Trusted customers: email key -> research consent date of the current state. */
  readonly consentByKey: ReadonlyMap<string, number>;
  readonly ambiguousSerials: ReadonlySet<string>;
  /** Unambiguous serial of a trusted customer -> that customer's email key. */
  readonly trustedOwnerBySerial: ReadonlyMap<string, string>;
}

/** Counts over a set of readings; partial counts of disjoint partitions add up (see above). */
export interface ReadingCounts {
  accelerometerLines: number;
  stepTrainerLines: number;
  /** Distinct readings whose email key is no customer's. */
  accelerometerFromNonCustomers: number;
  /** Distinct readings of trusted customers taken before their consent date. */
  accelerometerBeforeConsent: number;
  /** Lines repeating an earlier (email key, timestamp, x, y, z), whoever the email belongs to. */
  duplicateAccelerometerReadings: number;
  stepTrainerFromUnknownSerials: number;
  stepTrainerOnAmbiguousSerials: number;
  /** Among unambiguous serials of trusted customers: lines repeating (serial, time, distance). */
  duplicateStepTrainerReadings: number;
  /** Among unambiguous serials of trusted customers: (serial, time) keys with several distances. */
  conflictingStepTrainerKeys: number;
  readonly byPolicy: Record<Policy, PolicyReadingCounts>;
}

export interface PolicyReadingCounts {
  accelerometer_trusted: number;
  customer_curated: number;
  step_trainer_trusted: number;
  machine_learning_curated: number;
  /** (serial, time) groups of eligible readings held back because their distances disagree. */
  stepTrainerKeysHeldBack: number;
}

export interface Expectations {
  readonly landing: Record<LandingTableName, number>;
  readonly strict: DerivedTableCounts;
  readonly lenient: DerivedTableCounts;
  readonly breakdown: ExpectationBreakdown;
}

export interface ExpectationBreakdown {
  readonly emailKeys: number;
  readonly ambiguousCustomers: number;
  readonly ambiguousSerials: number;
  readonly accelerometerFromNonCustomers: number;
  readonly accelerometerBeforeConsent: number;
  readonly duplicateAccelerometerReadings: number;
  readonly stepTrainerFromUnknownSerials: number;
  readonly stepTrainerOnAmbiguousSerials: number;
  readonly duplicateStepTrainerReadings: number;
  readonly conflictingStepTrainerKeys: number;
  readonly stepTrainerKeysHeldBack: Record<Policy, number>;
}

/** Every field but the email, which is compared by key: equal strings mean identical records. */
export function comparableState(r: CustomerRecord): string {
  return JSON.stringify([
    r.customerName,
    emailKey(r.email),
    r.phone,
    r.birthDay,
    r.serialNumber,
    r.registrationDate,
    r.lastUpdateDate,
    r.shareWithResearchAsOfDate,
    r.shareWithPublicAsOfDate,
    r.shareWithFriendsAsOfDate,
  ]);
}

export function resolveCustomers(records: Iterable<CustomerRecord>): ResolvedCustomers {
  const currentByKey = new Map<string, CustomerRecord[]>();
  const knownSerials = new Set<string>();
  for (const r of records) {
    knownSerials.add(r.serialNumber);
    const key = emailKey(r.email);
    const current = currentByKey.get(key);
    if (current === undefined || (current[0] as CustomerRecord).lastUpdateDate < r.lastUpdateDate) {
      currentByKey.set(key, [r]);
    } else if ((current[0] as CustomerRecord).lastUpdateDate === r.lastUpdateDate) {
      current.push(r);
    }
  }

  const ambiguousCustomers = new Set<string>();
  const consentByKey = new Map<string, number>();
  const serialOfTrustedKey = new Map<string, string>();
  const claimantsBySerial = new Map<string, Set<string>>();
  for (const [key, current] of currentByKey) {
    for (const r of current) {
      const claimants = claimantsBySerial.get(r.serialNumber) ?? new Set<string>();
      claimants.add(key);
      claimantsBySerial.set(r.serialNumber, claimants);
    }
    const states = new Set(current.map(comparableState));
    if (states.size > 1) {
      ambiguousCustomers.add(key);
      continue;
    }
    const state = current[0] as CustomerRecord;
    if (state.shareWithResearchAsOfDate !== null) {
      consentByKey.set(key, state.shareWithResearchAsOfDate);
      serialOfTrustedKey.set(key, state.serialNumber);
    }
  }

  const ambiguousSerials = new Set<string>();
  for (const [serial, claimants] of claimantsBySerial) if (claimants.size > 1) ambiguousSerials.add(serial);
  const trustedOwnerBySerial = new Map<string, string>();
  for (const [key, serial] of serialOfTrustedKey) {
    if (!ambiguousSerials.has(serial)) trustedOwnerBySerial.set(serial, key);
  }
  return {
    knownEmailKeys: new Set(currentByKey.keys()),
    knownSerials,
    ambiguousCustomers,
    consentByKey,
    ambiguousSerials,
    trustedOwnerBySerial,
  };
}

export function emptyReadingCounts(): ReadingCounts {
  const policy = (): PolicyReadingCounts => ({
    accelerometer_trusted: 0,
    customer_curated: 0,
    step_trainer_trusted: 0,
    machine_learning_curated: 0,
    stepTrainerKeysHeldBack: 0,
  });
  return {
    accelerometerLines: 0,
    stepTrainerLines: 0,
    accelerometerFromNonCustomers: 0,
    accelerometerBeforeConsent: 0,
    duplicateAccelerometerReadings: 0,
    stepTrainerFromUnknownSerials: 0,
    stepTrainerOnAmbiguousSerials: 0,
    duplicateStepTrainerReadings: 0,
    conflictingStepTrainerKeys: 0,
    byPolicy: { strict: policy(), lenient: policy() },
  };
}

/** Adds `part` into `total` (mutating it), field by field. */
export function addReadingCounts(total: ReadingCounts, part: ReadingCounts): void {
  total.accelerometerLines += part.accelerometerLines;
  total.stepTrainerLines += part.stepTrainerLines;
  total.accelerometerFromNonCustomers += part.accelerometerFromNonCustomers;
  total.accelerometerBeforeConsent += part.accelerometerBeforeConsent;
  total.duplicateAccelerometerReadings += part.duplicateAccelerometerReadings;
  total.stepTrainerFromUnknownSerials += part.stepTrainerFromUnknownSerials;
  total.stepTrainerOnAmbiguousSerials += part.stepTrainerOnAmbiguousSerials;
  total.duplicateStepTrainerReadings += part.duplicateStepTrainerReadings;
  total.conflictingStepTrainerKeys += part.conflictingStepTrainerKeys;
  for (const policy of POLICIES) {
    const t = total.byPolicy[policy];
    const p = part.byPolicy[policy];
    t.accelerometer_trusted += p.accelerometer_trusted;
    t.customer_curated += p.customer_curated;
    t.step_trainer_trusted += p.step_trainer_trusted;
    t.machine_learning_curated += p.machine_learning_curated;
    t.stepTrainerKeysHeldBack += p.stepTrainerKeysHeldBack;
  }
}

/** Values of one reading at one (key, instant); compared numerically, as SQL DISTINCT does. */
interface Acceleration {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

const sameAcceleration = (a: Acceleration, b: Acceleration): boolean => a.x === b.x && a.y === b.y && a.z === b.z;

/** Map-of-maps lookup that creates the inner entry on first use. */
function entryOf<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/**
 * Distinct accelerometer readings per email key and instant. Readings at one (key, instant) are
 * few (two or three), so a linear scan deduplicates them without turning doubles into strings.
 */
function distinctAccelerometer(
  accelerometer: readonly AccelerometerReading[],
  counts: ReadingCounts,
): Map<string, Map<number, Acceleration[]>> {
  const byKey = new Map<string, Map<number, Acceleration[]>>();
  const keyOfUser = new Map<string, string>();
  for (const r of accelerometer) {
    const key = entryOf(keyOfUser, r.user, () => emailKey(r.user));
    const atInstant = entryOf(entryOf(byKey, key, () => new Map<number, Acceleration[]>()), r.timestamp, (): Acceleration[] => []);
    if (atInstant.some((seen) => sameAcceleration(seen, r))) counts.duplicateAccelerometerReadings++;
    else atInstant.push(r);
  }
  return byKey;
}

/** Counts one partition of readings (one customer's session, or a whole small lake). */
export function countReadings(
  customers: ResolvedCustomers,
  accelerometer: readonly AccelerometerReading[],
  stepTrainer: readonly StepTrainerReading[],
): ReadingCounts {
  const counts = emptyReadingCounts();
  counts.accelerometerLines = accelerometer.length;
  counts.stepTrainerLines = stepTrainer.length;

  // accelerometer_trusted rows per trusted key and instant, per policy; curated = keys with rows.
  const trustedRowsAt: Record<Policy, Map<string, Map<number, number>>> = { strict: new Map(), lenient: new Map() };
  for (const [key, instants] of distinctAccelerometer(accelerometer, counts)) {
    const consent = customers.consentByKey.get(key);
    if (consent === undefined) {
      if (!customers.knownEmailKeys.has(key)) for (const rows of instants.values()) counts.accelerometerFromNonCustomers += rows.length;
      continue;
    }
    for (const [time, rows] of instants) {
      if (time < consent) counts.accelerometerBeforeConsent += rows.length;
      for (const policy of POLICIES) {
        if (policy === 'strict' && time < consent) continue;
        counts.byPolicy[policy].accelerometer_trusted += rows.length;
        entryOf(trustedRowsAt[policy], key, () => new Map<number, number>()).set(time, rows.length);
      }
    }
  }
  for (const policy of POLICIES) counts.byPolicy[policy].customer_curated = trustedRowsAt[policy].size;

  // Step-trainer readings of trusted customers' unambiguous serials: distances per (serial, time).
  const distancesAt = new Map<string, Map<number, Set<number>>>();
  for (const r of stepTrainer) {
    if (!customers.knownSerials.has(r.serialNumber)) counts.stepTrainerFromUnknownSerials++;
    if (customers.ambiguousSerials.has(r.serialNumber)) counts.stepTrainerOnAmbiguousSerials++;
    if (!customers.trustedOwnerBySerial.has(r.serialNumber)) continue;
    const distances = entryOf(entryOf(distancesAt, r.serialNumber, () => new Map<number, Set<number>>()), r.sensorReadingTime, () => new Set<number>());
    if (distances.has(r.distanceFromObject)) counts.duplicateStepTrainerReadings++;
    distances.add(r.distanceFromObject);
  }

  for (const [serial, times] of distancesAt) {
    const owner = customers.trustedOwnerBySerial.get(serial) as string;
    const consent = customers.consentByKey.get(owner) as number;
    for (const [time, distances] of times) {
      const conflicting = distances.size > 1;
      if (conflicting) counts.conflictingStepTrainerKeys++;
      for (const policy of POLICIES) {
        const ownerRows = trustedRowsAt[policy].get(owner);
        // Only curated customers' serials count, and (strict) only from the consent date on.
        if (ownerRows === undefined || (policy === 'strict' && time < consent)) continue;
        const c = counts.byPolicy[policy];
        if (conflicting) {
          c.stepTrainerKeysHeldBack++;
          continue;
        }
        c.step_trainer_trusted++;
        c.machine_learning_curated += ownerRows.get(time) ?? 0;
      }
    }
  }
  return counts;
}

/** Puts resolved customers and summed reading counts together into the table counts. */
export function assembleExpectations(
  customers: ResolvedCustomers,
  customerLines: number,
  readings: ReadingCounts,
): Expectations {
  const derived = (policy: Policy): DerivedTableCounts => {
    const p = readings.byPolicy[policy];
    return {
      customer_trusted: customers.consentByKey.size,
      accelerometer_trusted: p.accelerometer_trusted,
      customer_curated: p.customer_curated,
      step_trainer_trusted: p.step_trainer_trusted,
      machine_learning_curated: p.machine_learning_curated,
    };
  };
  return {
    landing: {
      customer_landing: customerLines,
      accelerometer_landing: readings.accelerometerLines,
      step_trainer_landing: readings.stepTrainerLines,
    },
    strict: derived('strict'),
    lenient: derived('lenient'),
    breakdown: {
      emailKeys: customers.knownEmailKeys.size,
      ambiguousCustomers: customers.ambiguousCustomers.size,
      ambiguousSerials: customers.ambiguousSerials.size,
      accelerometerFromNonCustomers: readings.accelerometerFromNonCustomers,
      accelerometerBeforeConsent: readings.accelerometerBeforeConsent,
      duplicateAccelerometerReadings: readings.duplicateAccelerometerReadings,
      stepTrainerFromUnknownSerials: readings.stepTrainerFromUnknownSerials,
      stepTrainerOnAmbiguousSerials: readings.stepTrainerOnAmbiguousSerials,
      duplicateStepTrainerReadings: readings.duplicateStepTrainerReadings,
      conflictingStepTrainerKeys: readings.conflictingStepTrainerKeys,
      stepTrainerKeysHeldBack: {
        strict: readings.byPolicy.strict.stepTrainerKeysHeldBack,
        lenient: readings.byPolicy.lenient.stepTrainerKeysHeldBack,
      },
    },
  };
}

/** The whole computation over records held in memory: the reference the streaming sum must equal. */
export function computeExpectations(
  customers: readonly CustomerRecord[],
  accelerometer: readonly AccelerometerReading[],
  stepTrainer: readonly StepTrainerReading[],
): Expectations {
  const resolved = resolveCustomers(customers);
  return assembleExpectations(resolved, customers.length, countReadings(resolved, accelerometer, stepTrainer));
}

/**
 * One customer's balance session: ~30 step-trainer readings, and at each of those instants two or
 * three accelerometer readings, plus whatever surprises the plan gave this customer. Each session
 * has its own random stream (seed + customer index), so it does not depend on the sessions before.
 */
import { DISTANCE_RANGE, THREE_READINGS_SHARE } from './config.js';
import { emailVariant, strangerEmail } from './identity.js';
import type { CustomerPlan } from './plan.js';
import { Prng } from './prng.js';
import type { AccelerometerReading, StepTrainerReading } from './records.js';

export interface SessionReadings {
  readonly accelerometer: AccelerometerReading[];
  readonly stepTrainer: StepTrainerReading[];
}

/** An acceleration in -1..1 with three decimals; `+ 0` turns -0 into 0 so JSON stays plain. */
function acceleration(prng: Prng): number {
  return Math.round((prng.next() * 2 - 1) * 1000) / 1000 + 0;
}

function accelerometerReading(user: string, timestamp: number, prng: Prng): AccelerometerReading {
  return { user, timestamp, x: acceleration(prng), y: acceleration(prng), z: acceleration(prng) };
}

/** What a session needs of a customer's plan (not the landing records, which can be large). */
export type SessionOwner = Pick<CustomerPlan, 'index' | 'email' | 'serialNumber' | 'session'>;

export function generateSession(seed: number, customer: SessionOwner): SessionReadings {
  const prng = new Prng(seed, `session:${customer.index}`);
  const { session } = customer;
  const instants = Array.from({ length: session.instants }, (_, k) => session.start + k * session.periodMs);
  const variant = emailVariant(customer.email, prng);
  const userAt = (): string => (session.userVariant && prng.chance(0.5) ? variant : customer.email);

  const accelerometer: AccelerometerReading[] = [];
  const stepTrainer: StepTrainerReading[] = [];
  // The distance drifts as the person moves, rather than jumping at random.
  let distance = prng.int(DISTANCE_RANGE.min, DISTANCE_RANGE.max);
  for (const time of instants) {
    distance = Math.min(DISTANCE_RANGE.max, Math.max(DISTANCE_RANGE.min, distance + prng.int(-40, 40)));
    if (!session.noStepTrainerReadings) {
      stepTrainer.push({ sensorReadingTime: time, serialNumber: customer.serialNumber, distanceFromObject: distance });
    }
    if (!session.noAccelerometerReadings) {
      const perInstant = prng.chance(THREE_READINGS_SHARE) ? 3 : 2;
      for (let n = 0; n < perInstant; n++) accelerometer.push(accelerometerReading(userAt(), time, prng));
    }
  }
  addSurprises(customer, instants, prng, accelerometer, stepTrainer);
  return { accelerometer, stepTrainer };
}

function addSurprises(
  customer: SessionOwner,
  instants: readonly number[],
  prng: Prng,
  accelerometer: AccelerometerReading[],
  stepTrainer: StepTrainerReading[],
): void {
  const { session } = customer;
  // Someone who is no customer, using the app at exactly this customer's instants.
  if (session.strangerReadings) {
    const stranger = strangerEmail(customer.index);
    const from = prng.int(0, instants.length - 6);
    for (const time of instants.slice(from, from + prng.int(3, 6))) accelerometer.push(accelerometerReading(stranger, time, prng));
  }
  // A device nobody registered, reading at this customer's instants.
  if (session.orphanSerialReadings) {
    const serial = prng.uuid();
    const from = prng.int(0, instants.length - 5);
    for (const time of instants.slice(from, from + prng.int(3, 5))) {
      stepTrainer.push({ sensorReadingTime: time, serialNumber: serial, distanceFromObject: prng.int(DISTANCE_RANGE.min, DISTANCE_RANGE.max) });
    }
  }
  // Re-sent readings. A copy may carry the user in another case: still the same reading by key.
  if (session.duplicateAccelerometerReading && accelerometer.length > 0) {
    const copies = prng.int(1, 3);
    for (let n = 0; n < copies; n++) {
      const original = prng.pick(accelerometer);
      accelerometer.push(n === 1 ? { ...original, user: emailVariant(customer.email, prng) } : { ...original });
    }
  }
  const own = stepTrainer.filter((r) => r.serialNumber === customer.serialNumber);
  if (session.duplicateStepTrainerReading && own.length > 0) {
    const copies = prng.int(1, 2);
    for (let n = 0; n < copies; n++) stepTrainer.push({ ...prng.pick(own) });
  }
  // The same device and millisecond, another distance: no reading can be trusted for that key.
  if (session.conflictingStepTrainerReading && own.length > 0) {
    const original = prng.pick(own);
    stepTrainer.push({ ...original, distanceFromObject: original.distanceFromObject + prng.int(1, 50) });
  }
}

/**
 * DESIGN.md's invariants, checked from the outside: landing records are read back from the JSON
 * files and resolved with plain TypeScript (the generator's resolver, which shares no code with
 * the pipeline), then every published row is checked against them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { emailKey, resolveCustomers, type AccelerometerReading, type CustomerRecord, type StepTrainerReading } from '../../src/generator/index.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { TABLES, type LandingSource } from '../../src/lake/tables.js';
import { listLandingFiles } from '../../src/pipeline/landing.js';
import { readTable } from './lake-files.js';
import { checkLine, splitLines } from '../generator/spec-checker.js';

/** The valid records of a landing source, by the test suite's own reading of docs/data-quality.md. */
async function readLanding<T>(lake: string, source: LandingSource): Promise<T[]> {
  const records: T[] = [];
  for (const file of await listLandingFiles(new LakeLayout(lake), source)) {
    for (const line of splitLines(await fs.readFile(file))) {
      if (checkLine(source, line).kind === 'valid') records.push(JSON.parse(line.toString('utf8')) as T);
    }
  }
  return records;
}

/** Returns a list of violations (empty when every invariant holds). */
export async function checkInvariants(lake: string, key: string, policy: 'strict' | 'lenient'): Promise<string[]> {
  const problems: string[] = [];
  const customers = resolveCustomers(await readLanding<CustomerRecord>(lake, 'customer'));
  const consent = customers.consentByKey;
  const fromConsent = (email: string, time: number): boolean => {
    const date = consent.get(email);
    return date !== undefined && (policy === 'lenient' || time >= date);
  };

  for (const c of await readTable(lake, 'customer_trusted')) {
    if (!consent.has(String(c.email))) problems.push(`customer_trusted has ${c.email} without research consent`);
  }
  for (const a of await readTable(lake, 'accelerometer_trusted')) {
    if (!fromConsent(String(a.email), Number(a.reading_time))) problems.push(`accelerometer_trusted: ${a.email} at ${a.reading_time}`);
  }
  for (const s of await readTable(lake, 'step_trainer_trusted')) {
    const owner = customers.trustedOwnerBySerial.get(String(s.serial_number));
    if (!owner || !fromConsent(owner, Number(s.sensor_reading_time))) {
      problems.push(`step_trainer_trusted: serial ${s.serial_number} at ${s.sensor_reading_time} has no consenting sole owner`);
    }
  }

  const ml = await readTable(lake, 'machine_learning_curated');
  const expectedColumns = TABLES.machine_learning_curated.columns.map((c) => c.name);
  if (ml[0] && JSON.stringify(Object.keys(ml[0])) !== JSON.stringify(expectedColumns)) {
    problems.push(`machine_learning_curated columns are ${Object.keys(ml[0]).join(',')}`);
  }
  // Every pair must be made of one customer's own readings: the subject's step trainer at that
  // instant with that distance, and that same subject's accelerometer reading with those values.
  const emailBySubject = new Map<string, string>();
  for (const email of consent.keys()) emailBySubject.set(crypto.createHmac('sha256', key).update(email).digest('hex'), email);
  const steps = new Set(
    (await readLanding<StepTrainerReading>(lake, 'step_trainer')).map((s) => `${s.serialNumber}|${s.sensorReadingTime}|${s.distanceFromObject}`),
  );
  const accel = new Set(
    (await readLanding<AccelerometerReading>(lake, 'accelerometer')).map((a) => `${emailKey(a.user)}|${a.timestamp}|${a.x}|${a.y}|${a.z}`),
  );
  const serialOf = new Map([...customers.trustedOwnerBySerial].map(([serial, email]) => [email, serial]));
  for (const row of ml) {
    const email = emailBySubject.get(String(row.subject_id));
    const serial = email ? serialOf.get(email) : undefined;
    const t = Number(row.sensor_reading_time);
    if (!email || !serial) {
      problems.push(`machine_learning_curated: subject ${row.subject_id} is no consenting customer with a device`);
    } else if (!fromConsent(email, t)) {
      problems.push(`machine_learning_curated: reading at ${t} predates consent`);
    } else if (!steps.has(`${serial}|${t}|${row.distance_from_object}`) || !accel.has(`${email}|${t}|${row.x}|${row.y}|${row.z}`)) {
      problems.push(`machine_learning_curated: row at ${t} pairs readings that are not both the subject's own`);
    }
    if (problems.length > 20) break;
  }
  return problems;
}

/**
 * `generateLake`: plans the customers, streams their sessions into the landing folders, and
 * writes the expectations computed alongside (DIR/_stedi/expected.json) once everything is on
 * disk, so an expectations file always describes complete landing data.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { StediError } from '../errors.js';
import { LakeLayout } from '../lake/layout.js';
import type { LandingSource } from '../lake/tables.js';
import {
  DEFAULT_FRACTIONS,
  DISTANCE_RANGE,
  DEFAULT_MAX_LINES_PER_FILE,
  EXPORT_EPOCH_MS,
  EXPORT_FILE_SPACING_MS,
  type SurpriseFractions,
} from './config.js';
import {
  ACCELEROMETER_KINDS,
  CUSTOMER_KINDS,
  STEP_TRAINER_KINDS,
  inject,
  kindNames,
  type HostileIds,
  type HostileSession,
  type InjectedLine,
} from './bad-records.js';
import {
  addReadingCounts,
  assembleExpectations,
  countReadings,
  emptyReadingCounts,
  POLICIES,
  resolveCustomers,
  type DerivedTableName,
  type Expectations,
  type LandingTableName,
  type ResolvedCustomers,
} from './expectations.js';
import { prepareLandingFolders } from './landing-guard.js';
import { LandingWriter } from './landing-writer.js';
import {
  addReadingLedger,
  assembleLedger,
  countReadingLedger,
  customerStatuses,
  emptyReadingLedger,
  isBalanced,
  JOB_NAMES,
  type CustomerStatuses,
  type JobName,
  type LedgerExpectations,
} from './ledger.js';
import { planLake, type LakePlan } from './plan.js';
import { Prng } from './prng.js';
import { bump, dateOf, isOddBirthday, isPhoneNotDigits, tidyCounts, type Counts } from './quality.js';
import { accelerometerLine, customerLine, stepTrainerLine, type AccelerometerReading, type CustomerRecord, type StepTrainerReading } from './records.js';
import { generateSession, type SessionOwner } from './session.js';

export const DEFAULT_SEED = 1;
/** 2: `landing` counts every record line (valid and quarantined); adds badRate, quarantine, warnings and ledger. */
export const EXPECTATIONS_FORMAT_VERSION = 2;

export interface GenerateOptions {
  /** Lake root folder. */
  readonly out: string;
  readonly customers: number;
  readonly seed?: number;
  /** Share of additional bad or hostile lines per landing source, 0 <= R < 1 (default 0; see bad-records.ts). */
  readonly badRate?: number;
  /** Delete existing landing files instead of refusing. */
  readonly force?: boolean;
  readonly maxLinesPerFile?: number;
  readonly fractions?: SurpriseFractions;
  /** Called every `progressEvery` customers and at the end. */
  readonly onProgress?: (progress: GenerateProgress) => void;
  readonly progressEvery?: number;
}

export interface GenerateProgress {
  readonly customersDone: number;
  readonly customersTotal: number;
  readonly accelerometerLines: number;
  readonly stepTrainerLines: number;
}

/** Per landing table, per rule. */
export type PerLandingTable = Record<LandingTableName, Counts>;

/** The content of DIR/_stedi/expected.json. */
export interface ExpectedFile extends Expectations {
  readonly formatVersion: number;
  readonly seed: number;
  readonly customers: number;
  readonly badRate: number;
  /** Quarantined records per landing table and error rule (zero counts omitted). */
  readonly quarantine: PerLandingTable;
  /** VALID records raising each warning rule, per landing table (zero counts omitted). */
  readonly warnings: PerLandingTable;
  /** Every job's ledger under each policy (docs/data-quality.md). */
  readonly ledger: LedgerExpectations;
}

export interface GeneratedLake {
  readonly expected: ExpectedFile;
  readonly expectationsFile: string;
  /** Landing files written, per source, in writing order. */
  readonly files: Record<LandingSource, readonly string[]>;
}

function validate(options: GenerateOptions): { seed: number; maxLinesPerFile: number; badRate: number } {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(options.customers) || options.customers < 1) {
    throw new StediError('USAGE', `--customers must be a positive integer, got ${options.customers}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new StediError('USAGE', `--seed must be an integer from 0 to 4294967295, got ${seed}`);
  }
  const maxLinesPerFile = options.maxLinesPerFile ?? DEFAULT_MAX_LINES_PER_FILE;
  if (!Number.isSafeInteger(maxLinesPerFile) || maxLinesPerFile < 1) {
    throw new StediError('USAGE', `maxLinesPerFile must be a positive integer, got ${maxLinesPerFile}`);
  }
  const badRate = options.badRate ?? 0;
  if (!(Number.isFinite(badRate) && badRate >= 0 && badRate < 1)) {
    throw new StediError('USAGE', `--bad-rate must be a number from 0 (included) to 1 (excluded), got ${badRate}`);
  }
  return { seed, maxLinesPerFile, badRate };
}

/** What the injected lines of one batch add to the counts. */
class QualityTally {
  readonly quarantine: PerLandingTable = { customer_landing: {}, accelerometer_landing: {}, step_trainer_landing: {} };
  readonly warnings: PerLandingTable = { customer_landing: {}, accelerometer_landing: {}, step_trainer_landing: {} };
  readonly records: Record<LandingTableName, number> = { customer_landing: 0, accelerometer_landing: 0, step_trainer_landing: 0 };

  /** Counts the injected lines; returns the valid records among them. */
  add<T>(table: LandingTableName, injected: readonly InjectedLine<T>[]): T[] {
    const valid: T[] = [];
    for (const line of injected) {
      if (line.type === 'blank') continue;
      this.records[table]++;
      if (line.type === 'bad') bump(this.quarantine[table], line.rule);
      else {
        valid.push(line.record);
        if (line.extraKey) bump(this.warnings[table], 'unknown_field');
      }
    }
    return valid;
  }
}

export async function generateLake(options: GenerateOptions): Promise<GeneratedLake> {
  const { seed, maxLinesPerFile, badRate } = validate(options);
  const layout = new LakeLayout(options.out);
  await prepareLandingFolders(layout, options.force ?? false);

  const writer = (source: LandingSource): LandingWriter =>
    new LandingWriter(layout, source, {
      maxLinesPerFile,
      firstFileMillis: EXPORT_EPOCH_MS,
      fileSpacingMs: EXPORT_FILE_SPACING_MS,
    });
  const customerWriter = writer('customer');
  const accelerometerWriter = writer('accelerometer');
  const stepTrainerWriter = writer('step_trainer');
  const tally = new QualityTally();
  const ids: HostileIds = { next: 0 };
  const today = dateOf(Date.now());
  const { resolved, statuses, sessions, hostileSessions } = await writeCustomers(
    planLake(seed, options.customers, options.fractions ?? DEFAULT_FRACTIONS),
    customerWriter,
    { seed, badRate, tally, ids, today },
  );
  const mandatory = assignMandatoryKinds(seed, badRate, sessions);

  const totals = emptyReadingCounts();
  const ledgerTotals = emptyReadingLedger();
  const progressEvery = options.progressEvery ?? 10_000;
  let reported = 0;
  const report = (done: number): void => {
    reported = done;
    options.onProgress?.({
      customersDone: done,
      customersTotal: sessions.length,
      accelerometerLines: accelerometerWriter.lines,
      stepTrainerLines: stepTrainerWriter.lines,
    });
  };
  /** One closed partition of readings: written, then counted (its partial counts add up). */
  const writePartition = async (
    accelerometer: AccelerometerReading[],
    stepTrainer: StepTrainerReading[],
    bad?: { index: number; owner: SessionOwner },
  ): Promise<void> => {
    let accelerometerLines: (string | Uint8Array)[] = accelerometer.map(accelerometerLine);
    let stepTrainerLines: (string | Uint8Array)[] = stepTrainer.map(stepTrainerLine);
    tally.records.accelerometer_landing += accelerometer.length;
    tally.records.step_trainer_landing += stepTrainer.length;
    if (bad !== undefined) {
      const prng = new Prng(seed, `bad:session:${bad.index}`);
      const { owner } = bad;
      const acc = inject(ACCELEROMETER_KINDS, mandatory.accelerometer.get(bad.index) ?? [], badRate, accelerometer, accelerometerLines as string[],
        { user: owner.email, timestamp: owner.session.start, x: 0, y: 0, z: 0 }, prng, ids);
      const step = inject(STEP_TRAINER_KINDS, mandatory.stepTrainer.get(bad.index) ?? [], badRate, stepTrainer, stepTrainerLines as string[],
        { sensorReadingTime: owner.session.start, serialNumber: owner.serialNumber, distanceFromObject: DISTANCE_RANGE.min }, prng, ids);
      accelerometer = [...accelerometer, ...tally.add('accelerometer_landing', acc.injected)];
      stepTrainer = [...stepTrainer, ...tally.add('step_trainer_landing', step.injected)];
      accelerometerLines = acc.lines;
      stepTrainerLines = step.lines;
    }
    // One session is a closed partition (its email key and serial occur nowhere else unless the
    // serial is ambiguous), so per-session counts add up to the whole-lake counts.
    addReadingCounts(totals, countReadings(resolved, accelerometer, stepTrainer));
    addReadingLedger(ledgerTotals, countReadingLedger(statuses, accelerometer, stepTrainer));
    await accelerometerWriter.writeLines(accelerometerLines);
    await stepTrainerWriter.writeLines(stepTrainerLines);
  };
  for (const customer of sessions) {
    const session = generateSession(seed, customer);
    await writePartition(session.accelerometer, session.stepTrainer, badRate > 0 ? { index: customer.index, owner: customer } : undefined);
    if ((customer.index + 1) % progressEvery === 0) report(customer.index + 1);
  }
  // Readings of the injected customers: their email keys and serials occur nowhere else.
  if (hostileSessions.length > 0) {
    await writePartition(hostileSessions.flatMap((s) => s.accelerometer), hostileSessions.flatMap((s) => s.stepTrainer));
  }
  await Promise.all([customerWriter.close(), accelerometerWriter.close(), stepTrainerWriter.close()]);
  if (reported !== sessions.length) report(sessions.length);

  const quarantine = {
    customer_landing: tidyCounts(tally.quarantine.customer_landing),
    accelerometer_landing: tidyCounts(tally.quarantine.accelerometer_landing),
    step_trainer_landing: tidyCounts(tally.quarantine.step_trainer_landing),
  };
  const counts = assembleExpectations(resolved, 0, totals);
  const expected: ExpectedFile = {
    formatVersion: EXPECTATIONS_FORMAT_VERSION,
    seed,
    customers: options.customers,
    badRate,
    ...counts,
    landing: { ...tally.records },
    quarantine,
    warnings: {
      customer_landing: tidyCounts(tally.warnings.customer_landing),
      accelerometer_landing: tidyCounts(tally.warnings.accelerometer_landing),
      step_trainer_landing: tidyCounts(tally.warnings.step_trainer_landing),
    },
    ledger: assembleLedger(statuses, ledgerTotals, quarantine),
  };
  assertConsistent(expected);
  await writeExpectations(layout, expected);
  return {
    expected,
    expectationsFile: layout.expectationsFile,
    files: { customer: customerWriter.files, accelerometer: accelerometerWriter.files, step_trainer: stepTrainerWriter.files },
  };
}

/** Table of each job's output. */
export const JOB_OUTPUT: Record<JobName, DerivedTableName> = {
  customer_landing_to_trusted: 'customer_trusted',
  accelerometer_landing_to_trusted: 'accelerometer_trusted',
  customer_trusted_to_curated: 'customer_curated',
  step_trainer_landing_to_trusted: 'step_trainer_trusted',
  machine_learning_curated: 'machine_learning_curated',
};

/**
 * The two independent computations (table counts, ledger) must agree, and every ledger balance:
 * otherwise the generator has a bug, and no expectation file is better than a wrong one.
 */
function assertConsistent(expected: ExpectedFile): void {
  const problems: string[] = [];
  for (const policy of POLICIES) {
    for (const job of JOB_NAMES) {
      const ledger = expected.ledger[policy][job];
      if (ledger.rowsOut !== expected[policy][JOB_OUTPUT[job]]) problems.push(`${policy} ${job}: ledger ${ledger.rowsOut} rows out, table count ${expected[policy][JOB_OUTPUT[job]]}`);
      if (!isBalanced(ledger)) problems.push(`${policy} ${job}: ledger does not balance`);
    }
  }
  if (problems.length > 0) throw new Error(`generator bug, expectations disagree: ${problems.join('; ')}`);
}

/** Which session carries each kind's guaranteed instance (a session with readings of that source). */
function assignMandatoryKinds(
  seed: number,
  badRate: number,
  sessions: readonly SessionOwner[],
): { accelerometer: Map<number, string[]>; stepTrainer: Map<number, string[]> } {
  const result = { accelerometer: new Map<number, string[]>(), stepTrainer: new Map<number, string[]>() };
  if (badRate <= 0) return result;
  const prng = new Prng(seed, 'bad:assign');
  const assign = (target: Map<number, string[]>, names: readonly string[], eligible: readonly number[]): void => {
    const pool = eligible.length > 0 ? eligible : sessions.map((s) => s.index);
    for (const name of names) {
      const index = prng.pick(pool);
      target.set(index, [...(target.get(index) ?? []), name]);
    }
  };
  assign(result.accelerometer, kindNames(ACCELEROMETER_KINDS), sessions.filter((s) => !s.session.noAccelerometerReadings).map((s) => s.index));
  assign(result.stepTrainer, kindNames(STEP_TRAINER_KINDS), sessions.filter((s) => !s.session.noStepTrainerReadings).map((s) => s.index));
  return result;
}

interface CustomerContext {
  readonly seed: number;
  readonly badRate: number;
  readonly tally: QualityTally;
  readonly ids: HostileIds;
  readonly today: string;
}

/**
 * Writes the customer records (first exports, then the re-exports in a later file, as a portal
 * exporting twice would), with any injected lines among the first exports, and resolves them.
 * Only what sessions need is returned, so the records themselves can be collected before the long
 * streaming phase.
 */
async function writeCustomers(
  plan: LakePlan,
  writer: LandingWriter,
  ctx: CustomerContext,
): Promise<{ resolved: ResolvedCustomers; statuses: CustomerStatuses; sessions: SessionOwner[]; hostileSessions: HostileSession[] }> {
  const firstRecords = plan.customers.flatMap((c) => c.firstExport);
  const reExportRecords = plan.customers.flatMap((c) => c.reExport);
  let firstLines: (string | Uint8Array)[] = firstRecords.map(customerLine);
  let valid = [...firstRecords, ...reExportRecords];
  ctx.tally.records.customer_landing += valid.length;
  const hostileSessions: HostileSession[] = [];
  if (ctx.badRate > 0) {
    const prng = new Prng(ctx.seed, 'bad:customer');
    const injection = inject(CUSTOMER_KINDS, kindNames(CUSTOMER_KINDS), ctx.badRate, firstRecords, firstLines as string[], firstRecords[0] as CustomerRecord, prng, ctx.ids);
    firstLines = injection.lines;
    valid = [...valid, ...ctx.tally.add('customer_landing', injection.injected)];
    for (const line of injection.injected) if (line.type === 'valid' && line.session !== undefined) hostileSessions.push(line.session);
  }
  for (const r of valid) {
    if (isOddBirthday(r.birthDay, ctx.today)) bump(ctx.tally.warnings.customer_landing, 'odd_birthday');
    if (isPhoneNotDigits(r.phone)) bump(ctx.tally.warnings.customer_landing, 'phone_not_digits');
  }
  await writer.writeLines(firstLines);
  const reExports = reExportRecords.map(customerLine);
  if (reExports.length > 0) {
    await writer.startNewFile();
    await writer.writeLines(reExports);
  }
  const resolved = resolveCustomers(valid);
  const statuses = customerStatuses(valid);
  const sessions = plan.customers.map(({ index, email, serialNumber, session }) => ({ index, email, serialNumber, session }));
  return { resolved, statuses, sessions, hostileSessions };
}

/** Written to a temporary name and renamed, so a reader never sees half a file. */
async function writeExpectations(layout: LakeLayout, expected: ExpectedFile): Promise<void> {
  await mkdir(layout.metaDir, { recursive: true });
  const temporary = `${layout.expectationsFile}.tmp`;
  await writeFile(temporary, `${JSON.stringify(expected, null, 2)}\n`);
  await rename(temporary, layout.expectationsFile);
}

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
  DEFAULT_MAX_LINES_PER_FILE,
  EXPORT_EPOCH_MS,
  EXPORT_FILE_SPACING_MS,
  type SurpriseFractions,
} from './config.js';
import {
  addReadingCounts,
  assembleExpectations,
  countReadings,
  emptyReadingCounts,
  resolveCustomers,
  type Expectations,
  type ResolvedCustomers,
} from './expectations.js';
import { prepareLandingFolders } from './landing-guard.js';
import { LandingWriter } from './landing-writer.js';
import { planLake, type LakePlan } from './plan.js';
import { accelerometerLine, customerLine, stepTrainerLine } from './records.js';
import { generateSession, type SessionOwner } from './session.js';

export const DEFAULT_SEED = 1;
export const EXPECTATIONS_FORMAT_VERSION = 1;

export interface GenerateOptions {
  /** Lake root folder. */
  readonly out: string;
  readonly customers: number;
  readonly seed?: number;
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

/** The content of DIR/_stedi/expected.json. */
export interface ExpectedFile extends Expectations {
  readonly formatVersion: number;
  readonly seed: number;
  readonly customers: number;
}

export interface GeneratedLake {
  readonly expected: ExpectedFile;
  readonly expectationsFile: string;
  /** Landing files written, per source, in writing order. */
  readonly files: Record<LandingSource, readonly string[]>;
}

function validate(options: GenerateOptions): { seed: number; maxLinesPerFile: number } {
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
  return { seed, maxLinesPerFile };
}

export async function generateLake(options: GenerateOptions): Promise<GeneratedLake> {
  const { seed, maxLinesPerFile } = validate(options);
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
  const { resolved, sessions } = await writeCustomers(
    planLake(seed, options.customers, options.fractions ?? DEFAULT_FRACTIONS),
    customerWriter,
  );

  const totals = emptyReadingCounts();
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
  for (const customer of sessions) {
    const session = generateSession(seed, customer);
    // One session is a closed partition (its email key and serial occur nowhere else unless the
    // serial is ambiguous), so per-session counts add up to the whole-lake counts.
    addReadingCounts(totals, countReadings(resolved, session.accelerometer, session.stepTrainer));
    await accelerometerWriter.writeLines(session.accelerometer.map(accelerometerLine));
    await stepTrainerWriter.writeLines(session.stepTrainer.map(stepTrainerLine));
    if ((customer.index + 1) % progressEvery === 0) report(customer.index + 1);
  }
  await Promise.all([customerWriter.close(), accelerometerWriter.close(), stepTrainerWriter.close()]);
  if (reported !== sessions.length) report(sessions.length);

  const expected: ExpectedFile = {
    formatVersion: EXPECTATIONS_FORMAT_VERSION,
    seed,
    customers: options.customers,
    ...assembleExpectations(resolved, customerWriter.lines, totals),
  };
  await writeExpectations(layout, expected);
  return {
    expected,
    expectationsFile: layout.expectationsFile,
    files: { customer: customerWriter.files, accelerometer: accelerometerWriter.files, step_trainer: stepTrainerWriter.files },
  };
}

/**
 * Writes the customer records (first exports, then the re-exports in a later file, as a portal
 * exporting twice would) and resolves them. Only what sessions need is returned, so the records
 * themselves can be collected before the long streaming phase.
 */
async function writeCustomers(
  plan: LakePlan,
  writer: LandingWriter,
): Promise<{ resolved: ResolvedCustomers; sessions: SessionOwner[] }> {
  await writer.writeLines(plan.customers.flatMap((c) => c.firstExport.map(customerLine)));
  const reExports = plan.customers.flatMap((c) => c.reExport.map(customerLine));
  if (reExports.length > 0) {
    await writer.startNewFile();
    await writer.writeLines(reExports);
  }
  const resolved = resolveCustomers(plan.customers.flatMap((c) => [...c.firstExport, ...c.reExport]));
  const sessions = plan.customers.map(({ index, email, serialNumber, session }) => ({ index, email, serialNumber, session }));
  return { resolved, sessions };
}

/** Written to a temporary name and renamed, so a reader never sees half a file. */
async function writeExpectations(layout: LakeLayout, expected: ExpectedFile): Promise<void> {
  await mkdir(layout.metaDir, { recursive: true });
  const temporary = `${layout.expectationsFile}.tmp`;
  await writeFile(temporary, `${JSON.stringify(expected, null, 2)}\n`);
  await rename(temporary, layout.expectationsFile);
}

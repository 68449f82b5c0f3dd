/**
 * Runs the selected jobs as one write-audit-publish unit:
 *   1. lock the lake, clear staging left by dead runs;
 *   2. parse and check landing input (a bad record stops the run here);
 *   3. evaluate each job in dependency order and stage its output as Parquet under `_staging/`;
 *   4. publish every staged table by atomic rename, and append the run to the run log.
 * Nothing is published unless every job succeeded, so a failed or killed run leaves each table at
 * its previous complete version.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engines/engine.js';
import { openEngine, type EngineSettings } from '../engines/index.js';
import { LakeLayout } from '../lake/layout.js';
import { LANDING_SOURCES, TABLES, type TableName } from '../lake/tables.js';
import { MODELS } from '../models/index.js';
import { describeError, StediError } from '../errors.js';
import { resolvePseudonymKey } from '../privacy/pseudonym-key.js';
import { selectModels } from './graph.js';
import { prepareLanding, type LandingInput } from './landing.js';
import { acquireLock } from './lock.js';
import type { Model, ModelContext, Policy } from './model.js';
import { clearStaging, publishFile } from './publish.js';
import { appendRun, type JobRecord, type RunRecord } from './run-log.js';

export type ProgressEvent =
  | { kind: 'landing'; input: LandingInput }
  | { kind: 'job-start'; job: string; index: number; total: number }
  | { kind: 'job-done'; record: JobRecord; index: number; total: number }
  | { kind: 'published'; tables: TableName[] };

export interface RunOptions {
  lake: string;
  jobs?: readonly string[];
  policy?: Policy;
  engine?: EngineSettings;
  /** The raw key (normally from STEDI_PSEUDONYM_KEY); checked only if a selected job needs it. */
  pseudonymKey?: string | undefined;
  onProgress?: (event: ProgressEvent) => void;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

export async function runPipeline(options: RunOptions): Promise<RunRecord> {
  const layout = new LakeLayout(options.lake);
  const policy = options.policy ?? 'strict';
  const models = selectModels(MODELS, options.jobs);
  await assertLakeExists(layout);
  // Fail before any work when the key is missing: the whole run would be wasted otherwise.
  const key = models.some((m) => m.needsPseudonymKey) ? resolvePseudonymKey(options.pseudonymKey) : undefined;

  await fs.mkdir(layout.metaDir, { recursive: true });
  const release = await acquireLock(layout.lockFile);
  const runId = newRunId();
  const started = Date.now();
  const record: RunRecord = {
    runId,
    startedAt: new Date(started).toISOString(),
    endedAt: '',
    durationMs: 0,
    engine: options.engine?.engine ?? 'duckdb',
    policy,
    outcome: 'failed',
    landing: [],
    jobs: [],
  };
  let engine: Engine | undefined;
  try {
    for (const model of models) await clearStaging(layout.stagingDir(model.output));
    engine = await openEngine(options.engine ?? { engine: 'duckdb' });
    record.engine = await engine.describe();
    const staged = await evaluate(engine, layout, models, { policy, key, runId, record, onProgress: options.onProgress });
    for (const [table, file] of staged) await publishFile(file, layout.tableFile(table));
    options.onProgress?.({ kind: 'published', tables: [...staged.keys()] });
    record.outcome = 'succeeded';
    return record;
  } catch (err) {
    record.error = describeError(err);
    throw err;
  } finally {
    await engine?.close();
    for (const model of models) await clearStaging(layout.stagingDir(model.output)).catch(() => undefined);
    record.endedAt = new Date().toISOString();
    record.durationMs = Date.now() - started;
    await appendRun(layout.runLogFile, record);
    await release();
  }
}

async function assertLakeExists(layout: LakeLayout): Promise<void> {
  const stat = await fs.stat(layout.root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new StediError('LAKE_MISSING', `lake folder ${layout.root} does not exist`, {
      hint: `create one with 'stedi generate --out ${layout.root} --customers 1000'`,
    });
  }
}

interface EvaluateContext {
  policy: Policy;
  key: Buffer | undefined;
  runId: string;
  record: RunRecord;
  onProgress: RunOptions['onProgress'];
}

/** Steps 2 and 3: returns the staged Parquet file of each output. */
async function evaluate(
  engine: Engine,
  layout: LakeLayout,
  models: readonly Model[],
  run: EvaluateContext,
): Promise<Map<TableName, string>> {
  const q = engine.dialect;
  const rowCounts = new Map<TableName, number>();
  const produced = new Set(models.map((m) => m.output));
  const needed = new Set(models.flatMap((m) => m.inputs));

  for (const source of LANDING_SOURCES) {
    if (!needed.has(TABLES[`${source}_landing`].name)) continue;
    const input = await prepareLanding(engine, layout, source);
    rowCounts.set(`${source}_landing`, input.rows);
    run.record.landing.push({ source, files: input.files.length, rows: input.rows });
    run.onProgress?.({ kind: 'landing', input });
  }
  for (const table of needed) {
    if (TABLES[table].zone === 'landing' || produced.has(table)) continue;
    await attachPublished(engine, layout, table);
  }

  const ctx: ModelContext = {
    dialect: q,
    policy: run.policy,
    ref: (table) => q.ident(table),
    pseudonymKey: () => {
      if (!run.key) throw new StediError('MISSING_KEY', 'pseudonym key requested by a job that did not declare it');
      return run.key;
    },
  };
  const staged = new Map<TableName, string>();
  for (const [index, model] of models.entries()) {
    run.onProgress?.({ kind: 'job-start', job: model.name, index, total: models.length });
    const jobStarted = Date.now();
    const rowsIn = rowCounts.get(model.primaryInput) ?? (await countRows(engine, model.primaryInput));
    const rowsOut = await engine.materialize(model.output, model.sql(ctx));
    rowCounts.set(model.output, rowsOut);
    const file = path.join(layout.stagingDir(model.output), `${run.runId}.parquet`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await engine.writeParquet(model.output, TABLES[model.output].columns.map((c) => c.name), file);
    staged.set(model.output, file);
    const jobRecord: JobRecord = {
      job: model.name,
      output: model.output,
      inputs: [...model.inputs],
      rowsIn,
      rowsOut,
      durationMs: Date.now() - jobStarted,
      outcome: 'succeeded',
    };
    run.record.jobs.push(jobRecord);
    run.onProgress?.({ kind: 'job-done', record: jobRecord, index, total: models.length });
  }
  return staged;
}

async function attachPublished(engine: Engine, layout: LakeLayout, table: TableName): Promise<void> {
  const file = layout.tableFile(table);
  const exists = await fs.stat(file).then((s) => s.isFile()).catch(() => false);
  if (!exists) {
    const producer = MODELS.find((m) => m.output === table)?.name ?? table;
    throw new StediError('CONFIG', `${table} has never been published (${file} is missing)`, {
      hint: `run job '${producer}' first, or run all jobs`,
    });
  }
  await engine.attachPublished(table, file, table);
}

async function countRows(engine: Engine, table: TableName): Promise<number> {
  const [row] = await engine.query<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${engine.dialect.ident(table)}`);
  return Number(row?.n ?? 0);
}

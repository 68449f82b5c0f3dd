/**
 * Runs the selected jobs as one write-audit-publish unit:
 *   1. lock the lake, clear staging left by dead runs;
 *   2. parse and check landing input (a bad record is quarantined; an unusable source fails the run);
 *   3. evaluate each job once its inputs are ready and stage its output as Parquet under
 *      `_staging/` (with a second engine session, a job runs while another source is still read);
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
import { LANDING_SOURCES, LANDING_TABLE, TABLES, type LandingSource, type TableName } from '../lake/tables.js';
import { MODELS } from '../models/index.js';
import { describeError, StediError } from '../errors.js';
import { resolvePseudonymKey } from '../privacy/pseudonym-key.js';
import { selectModels } from './graph.js';
import { runTasks, type Task } from './schedule.js';
import { prepareLanding, QUARANTINE_COLUMNS, releaseLanding, type LandingInput } from './landing.js';
import { acquirePidLock } from '../lake/pid-lock.js';
import { applicableChecks, describeFailures, runChecks, type CheckResult } from '../quality/run-checks.js';
import { CHECKS } from '../quality/checks.js';
import { assertBalanced, sum, tidy, type Counts, type Ledger } from './ledger.js';
import type { Model, ModelContext, Policy } from './model.js';
import { clearStaging, fsyncPath, publishFile } from './publish.js';
import { appendRun, type JobRecord, type RunRecord } from './run-log.js';

export type ProgressEvent =
  | { kind: 'landing'; input: LandingInput }
  | { kind: 'job-start'; job: string; index: number; total: number }
  | { kind: 'job-done'; record: JobRecord; index: number; total: number }
  | { kind: 'checked'; results: CheckResult[] }
  | { kind: 'published'; files: string[] };

export interface RunOptions {
  lake: string;
  jobs?: readonly string[];
  policy?: Policy;
  engine?: EngineSettings;
  /** The raw key (normally from STEDI_PSEUDONYM_KEY); checked only if a selected job needs it. */
  pseudonymKey?: string | undefined;
  onProgress?: (event: ProgressEvent) => void;
}

/** Tables some check reads, which must stay until the checks have run. */
const CHECKED_TABLES = new Set<TableName>(CHECKS.flatMap((c) => [c.table, ...c.reads]));

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
  const release = await acquirePidLock(
    layout.lockFile,
    (pid) =>
      new StediError('LAKE_LOCKED', `another run (pid ${pid}) is working on the lake ${layout.root}`, {
        hint: `wait for it, or remove ${layout.lockFile} if that process is not a stedi run`,
      }),
  );
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
    for (const dir of stagingDirs(layout, models)) await clearStaging(dir);
    engine = await openEngine(options.engine ?? { engine: 'duckdb' }, { lake: layout.root, runId });
    record.engine = await engine.describe();
    const staged = await evaluate(engine, layout, models, {
      policy,
      key,
      runId,
      record,
      startedMillis: started,
      onProgress: options.onProgress,
    });
    for (const [file, { final, flushed }] of staged) await publishFile(file, final, flushed);
    options.onProgress?.({ kind: 'published', files: [...staged.values()].map((s) => s.final) });
    record.outcome = 'succeeded';
    return record;
  } catch (err) {
    record.error = describeError(err);
    throw err;
  } finally {
    await engine?.close();
    for (const dir of stagingDirs(layout, models)) await clearStaging(dir).catch(() => undefined);
    record.endedAt = new Date().toISOString();
    record.durationMs = Date.now() - started;
    await appendRun(layout.runLogFile, record);
    await release();
  }
}

interface StagedFile {
  /** The table's (or quarantine's) current file, which the staged file replaces. */
  readonly final: string;
  /** The staged file's flush to disk, started as soon as it was written. */
  readonly flushed: Promise<void>;
}

/** Every `_staging/` folder a run of these models may write. */
function stagingDirs(layout: LakeLayout, models: readonly Model[]): string[] {
  const quarantines = Object.values(LANDING_TABLE).map((t) => path.join(layout.quarantineDir(t), '_staging'));
  return [...models.map((m) => layout.stagingDir(m.output)), ...quarantines];
}

async function assertLakeExists(layout: LakeLayout): Promise<void> {
  const stat = await fs.stat(layout.root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new StediError('LAKE_MISSING', `lake folder ${layout.root} does not exist`, {
      hint: `create one with 'stedi generate --out ${layout.root} --customers 1000'`,
    });
  }
}

/** What the landing step set aside and flagged, per rule. */
interface LandingCounts {
  quarantined: Counts;
  warnings: Counts;
}

interface EvaluateContext {
  policy: Policy;
  key: Buffer | undefined;
  runId: string;
  startedMillis: number;
  record: RunRecord;
  onProgress: RunOptions['onProgress'];
}

/**
 * Steps 2 and 3: returns staged Parquet file -> the file it replaces when published. Landing
 * sources and jobs are tasks on the engine's sessions (see schedule.ts): each starts once what it
 * reads is ready, landing sources first, so one session can run a job while another still reads.
 */
async function evaluate(
  engine: Engine,
  layout: LakeLayout,
  models: readonly Model[],
  run: EvaluateContext,
): Promise<Map<string, StagedFile>> {
  const q = engine.dialect;
  /** Staged Parquet file -> the file it replaces when published, and its flush to disk. */
  const staged = new Map<string, StagedFile>();
  const stage = async (session: Engine, relation: string, columns: string[], folder: string, final: string): Promise<void> => {
    const file = path.join(folder, '_staging', `${run.runId}.parquet`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await session.writeParquet(relation, columns, file);
    // Flushed while the next jobs compute; publishing waits for it.
    const flushed = fsyncPath(file);
    flushed.catch(() => undefined);
    staged.set(file, { final, flushed });
  };
  const rowCounts = new Map<TableName, number>();
  const quarantined = new Map<TableName, LandingCounts>();
  const produced = new Set(models.map((m) => m.output));
  const needed = new Set(models.flatMap((m) => m.inputs));
  const sources = LANDING_SOURCES.filter((source) => needed.has(LANDING_TABLE[source]));

  for (const table of needed) {
    if (TABLES[table].zone === 'landing' || produced.has(table)) continue;
    await attachPublished(engine, layout, table);
  }

  const storedLookups = new LookupStore();
  const ctx: ModelContext = {
    dialect: q,
    policy: run.policy,
    ref: (table) => q.ident(table),
    pseudonymKey: () => {
      if (!run.key) throw new StediError('MISSING_KEY', 'pseudonym key requested by a job that did not declare it');
      return run.key;
    },
    stored: storedLookups.sql,
  };
  const finished = new Set<string>();

  const landingTask = (source: LandingSource): Task<Engine> => ({
    name: LANDING_TABLE[source],
    after: [],
    run: async (session) => {
      const input = await prepareLanding(session, layout, source, { nowMillis: run.startedMillis });
      const table = LANDING_TABLE[source];
      rowCounts.set(table, input.rows);
      quarantined.set(table, { quarantined: input.quarantined, warnings: input.warnings });
      await stage(session, input.quarantineRelation, QUARANTINE_COLUMNS.map((c) => c.name), layout.quarantineDir(table), layout.quarantineFile(table));
      run.record.landing.push({ source, files: input.files.length, rows: input.rows });
      run.onProgress?.({ kind: 'landing', input });
    },
  });

  const jobTask = (model: Model, index: number): Task<Engine> => ({
    name: model.output,
    // Published inputs are attached already; the rest come from landing tasks or earlier jobs.
    after: model.inputs.filter((t) => TABLES[t].zone === 'landing' || produced.has(t)),
    run: async (session) => {
      run.onProgress?.({ kind: 'job-start', job: model.name, index, total: models.length });
      const jobStarted = Date.now();
      let ledger: Ledger;
      try {
        ledger = await evaluateModel(session, model, ctx, rowCounts, quarantined.get(model.primaryInput), storedLookups);
        await stage(session, model.output, TABLES[model.output].columns.map((c) => c.name), layout.tableDir(model.output), layout.tableFile(model.output));
      } catch (err) {
        throw jobFailed(model.name, err);
      }
      rowCounts.set(model.output, ledger.rowsOut);
      const jobRecord: JobRecord = {
        job: model.name,
        output: model.output,
        inputs: [...model.inputs],
        rowsIn: ledger.rowsIn,
        rowsOut: ledger.rowsOut,
        durationMs: Date.now() - jobStarted,
        outcome: 'succeeded',
        ledger,
      };
      run.record.jobs.push(jobRecord);
      finished.add(model.name);
      run.onProgress?.({ kind: 'job-done', record: jobRecord, index, total: models.length });
      // Landing rows take the most memory of a run: free each source after the last job reading it.
      for (const source of sources) {
        const table = LANDING_TABLE[source];
        const later = models.some((m) => !finished.has(m.name) && m.inputs.includes(table));
        if (model.inputs.includes(table) && !later && !CHECKED_TABLES.has(table)) await releaseLanding(session, source);
      }
    },
  });

  const sessions = [engine];
  const fork = await engine.fork?.();
  if (fork) sessions.push(fork);
  await runTasks([...sources.map(landingTask), ...models.map(jobTask)], sessions);
  // Sessions finish in any order; the run log lists sources and jobs in their declared order.
  const sourceOrder = (source: string): number => (LANDING_SOURCES as readonly string[]).indexOf(source);
  run.record.landing.sort((a, b) => sourceOrder(a.source) - sourceOrder(b.source));
  run.record.jobs.sort((a, b) => models.findIndex((m) => m.name === a.job) - models.findIndex((m) => m.name === b.job));

  // Audit before publish: a run whose checks fail publishes nothing.
  const available = new Set<TableName>([...rowCounts.keys(), ...needed]);
  const checks = await runChecks(engine, ctx, applicableChecks(available, run.policy), run.key !== undefined);
  run.record.checks = checks;
  run.onProgress?.({ kind: 'checked', results: checks });
  if (checks.some((c) => c.outcome === 'failed')) {
    throw new StediError('CHECK_FAILED', `checks failed, nothing published: ${describeFailures(checks)}`, {
      hint: "'stedi runs --json' shows every check of this run",
    });
  }
  return staged;
}

/**
 * Lookups stored in this run, shared by the jobs that read the same input: `sql` (name -> SQL of
 * the stored ones, what ModelContext.stored reads) and the storing of each, which a job running at
 * the same time awaits instead of storing it again.
 */
class LookupStore {
  readonly sql = new Map<string, string>();
  private readonly storing = new Map<string, { select: string; done: Promise<void> }>();

  /** Store `select` as `name` once per run; a later call with other SQL for the same name is a bug. */
  async ensure(engine: Engine, name: string, select: string, owner: string): Promise<void> {
    let entry = this.storing.get(name);
    if (entry && entry.select !== select) throw new Error(`${owner}: lookup ${name} differs from the one another job stored`);
    if (!entry) {
      // Listed in `sql` only once stored: SQL that reads the stored relation instead of its steps
      // must not run before it exists.
      entry = { select, done: engine.materialize(name, select).then(() => void this.sql.set(name, select)) };
      this.storing.set(name, entry);
    }
    await entry.done;
  }
}

/**
 * One job: classify every primary-input row, count the reasons, derive the output from the kept
 * rows, and balance the ledger. Relations: `<output>__classified` (dropped after use) and `<output>`.
 */
async function evaluateModel(
  engine: Engine,
  model: Model,
  ctx: ModelContext,
  rowCounts: Map<TableName, number>,
  landing: LandingCounts | undefined,
  storedLookups: LookupStore,
): Promise<Ledger> {
  const q = engine.dialect;
  const lookups = model.lookups?.(ctx) ?? [];
  const own = (name: string): boolean => name.startsWith(`${model.output}__`);
  for (const [name, select] of lookups) {
    // A lookup named after an input is derived from that input alone: every job reading it
    // shares one copy per run. One named after the output is the job's own, dropped after it.
    if (!own(name) && !model.inputs.some((input) => name.startsWith(`${input}__`))) {
      throw new Error(`${model.name}: lookup ${name} must be named <output or input table>__<name>`);
    }
    if (own(name)) await engine.materialize(name, select);
    else await storedLookups.ensure(engine, name, select, model.name);
  }
  const classified = `${model.output}__classified`;
  if (model.classified === 'recomputed') await engine.defineView(classified, model.classify(ctx));
  else await engine.materialize(classified, model.classify(ctx));
  const removed: Counts = {};
  let classifiedRows = 0;
  for (const row of await engine.query<{ reason: string | null; n: bigint | number }>(
    `SELECT _reason AS reason, count(*) AS n FROM ${q.ident(classified)} GROUP BY _reason`,
  )) {
    classifiedRows += Number(row.n);
    if (row.reason !== null) removed[row.reason] = Number(row.n);
  }
  const inputRows = rowCounts.get(model.primaryInput) ?? (await countRows(engine, model.primaryInput));
  if (classifiedRows !== inputRows) {
    throw new StediError(
      'FANOUT',
      `${model.name}: classifying ${inputRows} input rows gave ${classifiedRows} rows: a join on a key that is not unique multiplied rows`,
    );
  }
  const kept = classifiedRows - sum(removed);
  const keptRows = `(SELECT * FROM ${q.ident(classified)} WHERE _reason IS NULL)`;
  const columns = TABLES[model.output].columns.map((c) => q.ident(c.name)).join(', ');
  const rule = model.outputRule;
  const added: Counts = {};
  let rowsOut: number;
  switch (rule.kind) {
    case 'all':
      rowsOut = await engine.materialize(model.output, `SELECT ${columns} FROM ${keptRows} kept`);
      break;
    case 'distinct':
      rowsOut = await engine.materialize(model.output, `SELECT DISTINCT ${columns} FROM ${keptRows} kept`);
      removed.duplicate = kept - rowsOut;
      break;
    case 'expand': {
      rowsOut = await engine.materialize(model.output, rule.sql(ctx, keptRows));
      added[rule.added] = rowsOut - kept;
      const bound = rowCounts.get(rule.bound.table) ?? (await countRows(engine, rule.bound.table));
      if (rowsOut > bound) {
        throw new StediError(
          'FANOUT',
          `${model.name}: ${rowsOut} output rows exceed the ${bound} rows of ${rule.bound.table} allowed by its key (${rule.bound.key})`,
        );
      }
      break;
    }
  }
  await engine.dropRelation(classified);
  for (const [name] of lookups.filter(([name]) => own(name))) await engine.dropRelation(name);
  const ledger: Ledger = {
    rowsIn: inputRows + sum(landing?.quarantined ?? {}),
    rowsOut,
    removed: tidy(removed),
    quarantined: tidy(landing?.quarantined ?? {}),
    added: tidy(added),
    warnings: tidy(landing?.warnings ?? {}),
  };
  assertBalanced(model.name, ledger);
  return ledger;
}

/** An engine failure inside a job, naming the job (code and hint kept); the job's own errors already do. */
function jobFailed(job: string, err: unknown): unknown {
  if (!(err instanceof StediError) || err.code !== 'ENGINE') return err;
  return new StediError(err.code, `job ${job}: ${err.message}`, { ...(err.hint ? { hint: err.hint } : {}), cause: err });
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

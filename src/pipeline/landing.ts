/**
 * Landing input for a run: finds the files of each source, makes them visible to the engine,
 * parses every line against the source's contract in one set-wise pass, and refuses the run with
 * a one-line error naming the file and line of the first bad record.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engines/engine.js';
import type { LakeLayout } from '../lake/layout.js';
import { LANDING_TABLE, type LandingSource } from '../lake/tables.js';
import { landingContract } from '../quality/landing-contract.js';
import { StediError } from '../errors.js';
import { findInvalidUtf8Line, findLineNumber } from './line-locator.js';

export interface LandingInput {
  readonly source: LandingSource;
  readonly files: readonly string[];
  readonly rows: number;
  readonly durationMs: number;
}

/** Landing files of a source: `*.json`, skipping names that start with `.` or `_` (in-flight or metadata). */
export async function listLandingFiles(layout: LakeLayout, source: LandingSource): Promise<string[]> {
  const dir = layout.landingDir(source);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StediError('UNREADABLE_FILE', `cannot list landing folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.') && !n.startsWith('_'))
    .sort()
    .map((n) => path.join(dir, n));
}

async function assertReadable(file: string): Promise<void> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error('not a regular file');
      await handle.read(Buffer.alloc(1), 0, 1, 0);
    } finally {
      await handle.close();
    }
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new StediError('UNREADABLE_FILE', `cannot read landing file ${file}: ${reason}`, { cause: err });
  }
}

/** The SQL expression naming the first contract problem of a parsed line, or NULL when it has none. */
function problemExpression(engine: Engine, source: LandingSource): string {
  const q = engine.dialect;
  const contract = landingContract(source);
  const whens = contract.required.map(
    (key) => `WHEN ${q.ident(key)} IS NULL THEN ${q.str(`required field "${key}" is missing, null or not a ${typeName(contract, key)}`)}`,
  );
  return `CASE WHEN NOT _valid_json THEN 'malformed JSON' ${whens.join(' ')} END`;
}

function typeName(contract: ReturnType<typeof landingContract>, key: string): string {
  const type = contract.columns.find((c) => c.name === key)?.type;
  return type === 'VARCHAR' ? 'string' : type === 'BIGINT' ? 'whole number' : 'number';
}

/**
 * Attach and parse one source into relation `<source>_landing` (typed columns of valid records).
 * Throws on the first bad record: until quarantine exists, a bad record stops the run before
 * any table is touched.
 */
export async function prepareLanding(engine: Engine, layout: LakeLayout, source: LandingSource): Promise<LandingInput> {
  const started = Date.now();
  const files = await listLandingFiles(layout, source);
  if (files.length === 0) {
    throw new StediError('NO_LANDING_FILES', `no landing files in ${layout.landingDir(source)}`, {
      hint: `expected ${source}-<epoch millis>.json files; try 'stedi generate --out ${layout.root} --customers 1000'`,
    });
  }
  for (const file of files) await assertReadable(file);

  const q = engine.dialect;
  const contract = landingContract(source);
  const rawRelation = `${source}_landing_raw`;
  const relation = LANDING_TABLE[source];
  await engine.attachLanding(source, files, rawRelation);
  const parsed = q.parseJsonLines(q.ident(rawRelation), '_raw', contract.columns);
  const columns = contract.columns.map((c) => q.ident(c.name)).join(', ');
  const checkedRelation = `${source}_landing_checked`;
  let rows: number;
  try {
    rows = await engine.materialize(
      checkedRelation,
      `SELECT ${columns}, _problem, CASE WHEN _problem IS NOT NULL THEN _file END AS _file,
  CASE WHEN _problem IS NOT NULL THEN _raw END AS _raw
FROM (SELECT *, ${problemExpression(engine, source)} AS _problem FROM (${parsed}) parsed) checked`,
    );
  } catch (err) {
    throw await explainScanFailure(files, err);
  }

  const [bad] = await engine.query<{ _file: string; _raw: string; _problem: string }>(
    `SELECT _file, _raw, _problem FROM ${q.ident(checkedRelation)} WHERE _problem IS NOT NULL ORDER BY _file LIMIT 1`,
  );
  if (bad) {
    const line = await findLineNumber(bad._file, bad._raw);
    throw new StediError('MALFORMED_RECORD', `${bad._file}${line ? ` line ${line}` : ''}: ${bad._problem}`, {
      hint: 'fix or remove the record; landing files are never edited by the pipeline',
    });
  }
  await engine.defineView(relation, `SELECT ${columns} FROM ${q.ident(checkedRelation)} WHERE _problem IS NULL`);
  return { source, files, rows, durationMs: Date.now() - started };
}

/** A scan that fails outright (bad encoding, an absurdly long line) is pinned to its file and line. */
async function explainScanFailure(files: readonly string[], err: unknown): Promise<StediError> {
  for (const file of files) {
    const line = await findInvalidUtf8Line(file);
    if (line !== undefined) {
      return new StediError('MALFORMED_RECORD', `${file} line ${line}: not valid UTF-8 text`, { cause: err });
    }
  }
  return err instanceof StediError ? err : new StediError('ENGINE', String(err), { cause: err });
}

/**
 * Landing input for a run: finds the files of each source, makes them visible to the engine,
 * checks every line against the source's contract in one set-wise pass, and sets bad records
 * aside as quarantine (with file, line number, rule and field) instead of failing the run.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Engine, LoadValue } from '../engines/engine.js';
import type { JsonField } from '../engines/dialect.js';
import type { LakeLayout } from '../lake/layout.js';
import { LANDING_TABLE, type LandingSource } from '../lake/tables.js';
import { landingFields, ruleMessage, WARNING_RULES, type FieldContract } from '../quality/landing-contract.js';
import { firstErrorExpression, typedValue, warningExpressions } from '../quality/landing-validation.js';
import { StediError } from '../errors.js';
import type { Counts } from './ledger.js';
import { locateLines } from './line-locator.js';

export interface QuarantineRecord {
  source_file: string;
  line_number: number;
  raw_line: string;
  rule: string;
  field: string | null;
  message: string;
}

export const QUARANTINE_COLUMNS = [
  { name: 'source_file', type: 'VARCHAR' },
  { name: 'line_number', type: 'BIGINT' },
  { name: 'raw_line', type: 'VARCHAR' },
  { name: 'rule', type: 'VARCHAR' },
  { name: 'field', type: 'VARCHAR' },
  { name: 'message', type: 'VARCHAR' },
] as const;

export interface LandingInput {
  readonly source: LandingSource;
  readonly files: readonly string[];
  /** Valid records (what the jobs read). */
  readonly rows: number;
  readonly quarantined: Counts;
  readonly warnings: Counts;
  /** Relation holding this source's quarantine records (QUARANTINE_COLUMNS). */
  readonly quarantineRelation: string;
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

/** The engine relations the landing step makes for one source, named in one place. */
function landingRelations(source: LandingSource) {
  const name = (step: string): string => `${source}_landing_${step}`;
  return {
    raw: name('raw'),
    checked: name('checked'),
    quarantine: name('quarantine'),
  };
}

export interface LandingOptions {
  /** The run's start: the reference for `time_in_future` and odd birthdays. */
  readonly nowMillis: number;
}

/**
 * Attach, check and split one source: valid records become relation `<source>_landing` (typed
 * columns, as the contract names them); bad ones become `<source>_landing_quarantine`.
 */
export async function prepareLanding(
  engine: Engine,
  layout: LakeLayout,
  source: LandingSource,
  options: LandingOptions,
): Promise<LandingInput> {
  const started = Date.now();
  const files = await listLandingFiles(layout, source);
  if (files.length === 0) {
    throw new StediError('NO_LANDING_FILES', `no landing files in ${layout.landingDir(source)}`, {
      hint: `expected ${source}-<epoch millis>.json files; try 'stedi generate --out ${layout.root} --customers 1000'`,
    });
  }
  for (const file of files) await assertReadable(file);

  const q = engine.dialect;
  const fields = landingFields(source);
  const relations = landingRelations(source);
  const { checked } = relations;
  const jsonFields = fields.map((f): JsonField => ({
    name: f.name,
    json: f.kind === 'finite_number' || f.kind.includes('epoch') || f.kind.includes('integer') ? 'number' : 'string',
    nullable: f.kind === 'nullable_epoch_millis',
  }));
  const warnings = warningExpressions(q, source, new Date(options.nowMillis).toISOString().slice(0, 10));
  const build: CheckedBuild = { engine, source, fields, jsonFields, checked, warnings, nowMillis: options.nowMillis };

  await engine.attachLanding(source, files, relations.raw);
  await materializeChecked(build);

  const warningCounts: Counts = {};
  const sums = Object.keys(warnings).map((rule) => `sum(CASE WHEN _error IS NULL THEN ${q.ident(`_w_${rule}`)} ELSE 0 END) AS ${q.ident(rule)}`);
  const [totals] = await engine.query<Record<string, bigint | number | null>>(
    `SELECT ${[...sums, 'count(*) - count(_error) AS "_valid"'].join(', ')} FROM ${q.ident(checked)}`,
  );
  for (const rule of WARNING_RULES) if (totals?.[rule] != null) warningCounts[rule] = Number(totals[rule]);
  const records = await quarantineRecords(engine, checked, relations.raw);
  const quarantined: Counts = {};
  for (const r of records) quarantined[r.rule] = (quarantined[r.rule] ?? 0) + 1;
  const quarantineRelation = relations.quarantine;
  await engine.loadRows(
    quarantineRelation,
    QUARANTINE_COLUMNS,
    records.map((r): LoadValue[] => [r.source_file, r.line_number, r.raw_line, r.rule, r.field, r.message]),
  );

  const relation = LANDING_TABLE[source];
  await engine.defineView(relation, `SELECT ${fields.map((f) => q.ident(f.name)).join(', ')} FROM ${q.ident(checked)} WHERE _error IS NULL`);
  return {
    source,
    files,
    rows: Number(totals?._valid ?? 0),
    quarantined,
    warnings: warningCounts,
    quarantineRelation,
    durationMs: Date.now() - started,
  };
}

interface CheckedBuild {
  engine: Engine;
  source: LandingSource;
  fields: readonly FieldContract[];
  jsonFields: readonly JsonField[];
  checked: string;
  warnings: Partial<Record<string, string>>;
  nowMillis: number;
}

/**
 * Relation `checked`: every record of the source once, with its typed values, `_error`
 * (`rule:field` of its first failed check, NULL when valid), a 0/1 column per warning, and, for bad
 * records only, `_file` and `_raw`. One statement over the attached lines: parse, check, keep.
 */
async function materializeChecked(build: CheckedBuild): Promise<void> {
  const { engine, source, fields, jsonFields, checked, warnings, nowMillis } = build;
  const q = engine.dialect;
  const parsed = q.parseJsonLines(q.ident(landingRelations(source).raw), '_raw', jsonFields);
  // Warnings are flagged on every row and counted on valid ones only; values are cast with
  // TRY_CAST, so a bad record's value cannot fail the statement. File and text are kept for bad
  // records only (the quarantine needs them; ten million copies of a path would not be free).
  const warningColumns = Object.entries(warnings).map(([rule, expr]) => `CASE WHEN ${expr} THEN 1 ELSE 0 END AS ${q.ident(`_w_${rule}`)}`);
  await engine.materialize(
    checked,
    `SELECT
  ${fields.map((f) => `${typedValue(q, f)} AS ${q.ident(f.name)}`).join(',\n  ')},
  _error,
  CASE WHEN _error IS NOT NULL THEN _file END AS _file,
  CASE WHEN _error IS NOT NULL THEN _raw END AS _raw${warningColumns.length ? `,\n  ${warningColumns.join(',\n  ')}` : ''}
FROM (SELECT *, ${firstErrorExpression(q, source, nowMillis)} AS _error FROM (${parsed}) parsed) checked`,
  );
}

/** Bad records with their line numbers: engine-unreadable lines, then contract failures located per file. */
async function quarantineRecords(engine: Engine, checked: string, rawRelation: string): Promise<QuarantineRecord[]> {
  const q = engine.dialect;
  const unreadable = await engine.unreadableLines(rawRelation);
  const records: QuarantineRecord[] = unreadable.map((u) => ({
    source_file: u.file,
    line_number: u.line,
    raw_line: u.raw,
    rule: 'invalid_json',
    field: null,
    message: `line could not be read as text (${u.reason})`,
  }));
  const bad = await engine.query<{ file: string; raw: string; error: string }>(
    `SELECT _file AS file, _raw AS raw, _error AS error FROM ${q.ident(checked)} WHERE _error IS NOT NULL ORDER BY _file`,
  );
  const byFile = new Map<string, typeof bad>();
  for (const row of bad) byFile.set(row.file, [...(byFile.get(row.file) ?? []), row]);
  for (const [file, rows] of byFile) {
    const lines = await locateLines(file, rows.map((r) => r.raw));
    for (const row of rows) {
      const [rule = 'invalid_json', field = ''] = row.error.split(':');
      records.push({
        source_file: file,
        line_number: lines.get(row.raw)?.shift() ?? 0,
        raw_line: row.raw,
        rule,
        field: field === '' ? null : field,
        message: ruleMessage(rule, field === '' ? null : field),
      });
    }
  }
  return records.sort((a, b) => a.source_file.localeCompare(b.source_file) || a.line_number - b.line_number);
}

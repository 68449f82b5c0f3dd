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
import { landingFields, ruleMessage, type WarningRule } from '../quality/landing-contract.js';
import { firstErrorExpression, typedValue, warningExpressions } from '../quality/landing-validation.js';
import { StediError } from '../errors.js';
import type { Counts } from './ledger.js';
import { locateLines } from './line-locator.js';
import { materializeCanonical } from './landing-canonical.js';
import { blank, landingRelations, type LandingBuild } from './landing-relations.js';

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

/**
 * Forget a source's landing relations once no job needs them (their rows take the most memory of
 * a run). The quarantine relation stays: it is written with the run's other outputs.
 */
export async function releaseLanding(engine: Engine, source: LandingSource): Promise<void> {
  const { quarantine: _kept, ...relations } = landingRelations(source);
  await engine.dropRelation(LANDING_TABLE[source]);
  for (const relation of Object.values(relations)) await engine.dropRelation(relation);
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
  const build: LandingBuild = { engine, source, fields, jsonFields, relations, warnings, nowMillis: options.nowMillis };

  await engine.attachLanding(source, files, relations.raw);
  const canonicalValid = await materializeCanonical(build, files);
  if (!canonicalValid) await engine.defineView(relations.lines, `SELECT _file, _raw FROM ${q.ident(relations.raw)} WHERE NOT ${blank(q)}`);
  await materializeChecked(build, canonicalValid ? relations.uncertain : relations.lines);

  const { counts: warningCounts, valid } = await countWarnings(build, canonicalValid);
  const records = await quarantineRecords(engine, checked, relations.raw);
  const quarantined: Counts = {};
  for (const r of records) quarantined[r.rule] = (quarantined[r.rule] ?? 0) + 1;
  const quarantineRelation = relations.quarantine;
  await engine.loadRows(
    quarantineRelation,
    QUARANTINE_COLUMNS,
    records.map((r): LoadValue[] => [r.source_file, r.line_number, r.raw_line, r.rule, r.field, r.message]),
  );

  // Valid records: canonical ones that passed every check, then those the exact way accepted.
  const columns = fields.map((f) => q.ident(f.name)).join(', ');
  const validRecords = [
    ...(canonicalValid ? [`SELECT ${columns} FROM ${q.ident(relations.canonical)} WHERE ${canonicalValid}`] : []),
    `SELECT ${columns} FROM ${q.ident(checked)} WHERE _error IS NULL`,
  ];
  await engine.defineView(LANDING_TABLE[source], validRecords.join('\nUNION ALL\n'));
  return {
    source,
    files,
    rows: valid,
    quarantined,
    warnings: warningCounts,
    quarantineRelation,
    durationMs: Date.now() - started,
  };
}

/**
 * Relation `checked`: every line of `input` read the exact way, with its typed values, `_error`
 * (`rule:field` of its first failed check, NULL when valid), a 0/1 column per warning, and, for bad
 * records only, `_file` and `_raw`. One statement over the lines: parse, check, keep.
 */
async function materializeChecked(build: LandingBuild, input: string): Promise<void> {
  const { engine, source, fields, jsonFields, relations, warnings, nowMillis } = build;
  const q = engine.dialect;
  const parsed = q.parseJsonLines(q.ident(input), '_raw', jsonFields);
  // Warnings are flagged on every row and counted on valid ones only; values are cast with
  // TRY_CAST, so a bad record's value cannot fail the statement. File and text are kept for bad
  // records only (the quarantine needs them).
  const warningColumns = Object.entries(warnings).map(([rule, expr]) => `CASE WHEN ${expr} THEN 1 ELSE 0 END AS ${q.ident(`_w_${rule}`)}`);
  await engine.materialize(
    relations.checked,
    `SELECT
  ${fields.map((f) => `${typedValue(q, f)} AS ${q.ident(f.name)}`).join(',\n  ')},
  _error,
  CASE WHEN _error IS NOT NULL THEN _file END AS _file,
  CASE WHEN _error IS NOT NULL THEN _raw END AS _raw${warningColumns.length ? `,\n  ${warningColumns.join(',\n  ')}` : ''}
FROM (SELECT *, ${firstErrorExpression(q, source, nowMillis)} AS _error FROM (${parsed}) parsed) checked`,
  );
}

/**
 * Warnings per rule over the valid records, and how many there are. Canonical records carry
 * exactly the contract's keys, so of the warnings only those on values apply to them.
 */
async function countWarnings(build: LandingBuild, canonicalValid: string | undefined): Promise<{ counts: Counts; valid: number }> {
  const { engine, relations, warnings } = build;
  const q = engine.dialect;
  const rules = Object.keys(warnings) as WarningRule[];
  const checked = rules.map((rule) => `sum(CASE WHEN _error IS NULL THEN ${q.ident(`_w_${rule}`)} ELSE 0 END) AS ${q.ident(rule)}`);
  const [exact] = await engine.query<Record<string, bigint | number | null>>(
    `SELECT ${[...checked, 'count(*) - count(_error) AS "_valid"'].join(', ')} FROM ${q.ident(relations.checked)}`,
  );
  const counts: Counts = {};
  let valid = Number(exact?._valid ?? 0);
  for (const rule of rules) counts[rule] = Number(exact?.[rule] ?? 0);
  if (canonicalValid) {
    const onValues = rules.filter((rule) => rule !== 'unknown_field');
    const sums = onValues.map((rule) => `sum(CASE WHEN ${warnings[rule] ?? 'false'} THEN 1 ELSE 0 END) AS ${q.ident(rule)}`);
    const [canonical] = await engine.query<Record<string, bigint | number | null>>(
      `SELECT ${[...sums, 'count(*) AS "_valid"'].join(', ')} FROM ${q.ident(relations.canonical)} WHERE ${canonicalValid}`,
    );
    valid += Number(canonical?._valid ?? 0);
    for (const rule of onValues) counts[rule] = (counts[rule] ?? 0) + Number(canonical?.[rule] ?? 0);
  }
  for (const rule of rules) if (counts[rule] === 0) delete counts[rule];
  return { counts, valid };
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

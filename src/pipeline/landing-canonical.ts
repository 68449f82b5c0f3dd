/**
 * The fast way through landing, for engines that can read canonical lines cheaply (see
 * Dialect.parseCanonicalJsonLines): one narrow pass reads, proves and checks nearly every line;
 * the lines it cannot vouch for are left, with their text, to the exact way.
 */
import { isTextKind, type FieldContract } from '../quality/landing-contract.js';
import { canonicalValueFailure, typedValue } from '../quality/landing-validation.js';
import { StediError } from '../errors.js';
import { blank, type LandingBuild } from './landing-relations.js';

/**
 * Relation `canonical`, when the engine has a fast reading of canonical lines: every line once,
 * with its typed values, and `_file` and `_raw` only for a line that is not canonical or whose
 * numbers fail a check (NULL for the rest, which need neither). Text values (emails, serial
 * numbers) repeat across millions of readings, so their checks run once per distinct value; the
 * rare canonical lines holding a bad one are read again for their text (`recovered`). The lines
 * with text become relation `uncertain`, which the exact way reads.
 *
 * Returns the condition that selects the valid records of `canonical`, or undefined when the
 * engine has no fast way (then every line takes the exact way).
 */
export async function materializeCanonical(build: LandingBuild, files: readonly string[]): Promise<string | undefined> {
  const { engine, source, fields, jsonFields, relations, nowMillis } = build;
  const q = engine.dialect;
  const parseCanonical = q.parseCanonicalJsonLines?.bind(q);
  if (!parseCanonical) return undefined;
  const parse = (raw: string): string => parseCanonical(q.ident(raw), '_raw', jsonFields);
  const failures = (text: boolean): [FieldContract, string][] =>
    fields.flatMap((f): [FieldContract, string][] => {
      const failure = isTextKind(f.kind) === text ? canonicalValueFailure(q, f, nowMillis) : undefined;
      return failure ? [[f, failure]] : [];
    });
  const rowFailures = failures(false).map(([, failure]) => failure);
  // The fast reading may give a number as NaN, an infinity or NULL (see parseCanonicalJsonLines);
  // each number's own checks turn those away, so every number must have some.
  const unchecked = fields.filter((f) => !isTextKind(f.kind) && !canonicalValueFailure(q, f, nowMillis));
  if (unchecked.length) throw new Error(`no value check for number field(s) ${unchecked.map((f) => f.name).join(', ')}`);
  const passes = `coalesce(_canonical${rowFailures.map((f) => ` AND NOT ${f}`).join('')}, false)`;
  const canonical = q.ident(relations.canonical);
  await engine.materialize(
    relations.canonical,
    `SELECT
  ${fields.map((f) => `${typedValue(q, f)} AS ${q.ident(f.name)}`).join(',\n  ')},
  CASE WHEN _passes THEN NULL ELSE _file END AS _file,
  CASE WHEN _passes THEN NULL ELSE coalesce(_raw, '') END AS _raw
FROM (SELECT *, ${passes} AS _passes FROM (${parse(relations.raw)}) parsed) passes`,
  );
  // Blank lines are not canonical either, but they are no records at all.
  const uncertain = `SELECT _file, _raw FROM ${canonical} WHERE _raw IS NOT NULL AND NOT ${blank(q)}`;

  const textFailures = failures(true);
  const badValues: string[] = [];
  for (const [f, failure] of textFailures) {
    // Materialized first: a filter on DISTINCT's output would be pushed below it, onto every row.
    const values = `${relations.badValues}_${f.name}`;
    await engine.materialize(values, `SELECT DISTINCT ${q.ident(f.name)} FROM ${canonical} WHERE _raw IS NULL`);
    badValues.push(`SELECT ${q.str(f.name)} AS field, ${q.ident(f.name)} AS value FROM ${q.ident(values)} WHERE ${failure}`);
  }
  const bad = badValues.length ? await engine.materialize(relations.badValues, badValues.join('\nUNION ALL\n')) : 0;
  for (const [f] of textFailures) await engine.dropRelation(`${relations.badValues}_${f.name}`);
  if (bad === 0) {
    await engine.defineView(relations.uncertain, uncertain);
    return '_raw IS NULL';
  }
  // Some canonical lines hold a bad text value: find them again, with their text, by the same test.
  const held = textFailures
    .map(([f]) => `${q.ident(f.name)} IN (SELECT value FROM ${q.ident(relations.badValues)} WHERE field = ${q.str(f.name)})`)
    .join(' OR ');
  await engine.attachLanding(source, files, relations.rescan);
  // Only lines that may hold one of those values are parsed again: their text holds it between
  // quotes, unless the line has an escape somewhere.
  const textOf = q.canonicalStringText?.bind(q);
  const mayHold = textOf
    ? [
        `strpos(_raw, ${q.str('\\')}) > 0`,
        ...textFailures.map(
          ([f]) => `${textOf('_raw', jsonFields, f.name)} IN (SELECT value FROM ${q.ident(relations.badValues)} WHERE field = ${q.str(f.name)})`,
        ),
      ].join(' OR ')
    : 'true';
  await engine.defineView(relations.rescanCandidates, `SELECT * FROM ${q.ident(relations.rescan)} WHERE ${mayHold}`);
  const recovered = await engine.materialize(
    relations.recovered,
    `SELECT _file, _raw FROM (${parse(relations.rescanCandidates)}) parsed WHERE ${passes} AND (${held})`,
  );
  const [expected] = await engine.query<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${canonical} WHERE _raw IS NULL AND (${held})`);
  if (recovered !== Number(expected?.n ?? 0)) {
    // Landing files are immutable once published; a difference means one changed under the run.
    throw new StediError(
      'UNREADABLE_FILE',
      `${source} landing files changed while the run read them: found ${recovered} lines with a bad value on a second reading, ${String(expected?.n)} on the first`,
      { hint: 'landing files must not be edited in place; run again' },
    );
  }
  await engine.defineView(relations.uncertain, `${uncertain}\nUNION ALL\nSELECT _file, _raw FROM ${q.ident(relations.recovered)}`);
  return `_raw IS NULL AND NOT (${held})`;
}

/** DuckDB SQL generation. Pure: no connection needed. */
import type { Dialect, JsonField } from '../dialect.js';
import { hmacPads } from '../../privacy/hmac-pads.js';
import { EMAIL_PATTERN, MAX_EMAIL_LENGTH } from '../../contracts/landing.js';

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const str = (value: string): string => `'${value.replaceAll("'", "''")}'`;
const SPACE_CHARS = [`' '`, 'chr(9)', 'chr(10)', 'chr(13)'];
const SPACE = SPACE_CHARS.join(' || ');

/**
 * trim() with a set of characters costs a scan per value even when there is nothing to trim, and
 * emails are trimmed once per reading: test the first and last byte first (prefix and suffix
 * compare bytes; left and right would count characters of the whole value).
 */
function trimSpace(expr: string): string {
  return `CASE WHEN ${spaceAtEdge(expr)} THEN trim(${expr}, ${SPACE}) ELSE ${expr} END`;
}

function spaceAtEdge(expr: string): string {
  return SPACE_CHARS.flatMap((c) => [`prefix(${expr}, ${c})`, `suffix(${expr}, ${c})`]).join(' OR ');
}

/**
 * The contract's email rule without a regular expression: every reading's user is checked, and a
 * regex per value costs more than parsing the line. EMAIL_PATTERN says: no tab, LF, FF, CR or
 * space; exactly one @ with something before it; after it at least two dot-separated labels, none
 * empty. A test holds this translation to the TypeScript contract.
 */
function isEmail(expr: string): string {
  if (EMAIL_PATTERN !== '[^\\t\\n\\f\\r @]+@[^\\t\\n\\f\\r @.]+(\\.[^\\t\\n\\f\\r @.]+)+') {
    throw new Error('EMAIL_PATTERN changed: update the DuckDB translation of the email rule');
  }
  const rule = (t: string): string =>
    [
      ...['chr(9)', 'chr(10)', 'chr(12)', 'chr(13)', `' '`].map((c) => `NOT contains(${t}, ${c})`),
      `${t} LIKE '%@%.%'`,
      `NOT prefix(${t}, '@')`,
      `NOT ${t} LIKE '%@%@%'`,
      `NOT ${t} LIKE '%@.%'`,
      `NOT ${t} LIKE '%@%..%'`,
      `NOT suffix(${t}, '.')`,
      // strlen counts bytes, never fewer than characters: only long values need counting.
      `(strlen(${t}) <= ${MAX_EMAIL_LENGTH} OR length(${t}) <= ${MAX_EMAIL_LENGTH})`,
    ].join(' AND ');
  // Few values have spaces at an edge; for those one regex (the pattern between runs of the
  // characters trimSpace removes, none of which the pattern admits) beats trimming per test.
  const padded = str(`[ \\t\\n\\r]*${EMAIL_PATTERN}[ \\t\\n\\r]*`);
  const paddedRule = `regexp_full_match(${expr}, ${padded}) AND (strlen(${expr}) <= ${MAX_EMAIL_LENGTH} OR length(trim(${expr}, ${SPACE})) <= ${MAX_EMAIL_LENGTH})`;
  return `CASE WHEN ${spaceAtEdge(expr)} THEN ${paddedRule} ELSE ${rule(expr)} END`;
}

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  ident,
  str,
  int: (value) => `${BigInt(value)}::BIGINT`,
  normalizeEmail: (expr) => `lower(${trimSpace(expr)})`,
  trimSpace,
  // hash() gives -0.0 and 0.0 (equal to GROUP BY) the same value; NULLs hash alike, as they group.
  keyHash: (columns) => `hash(${columns.join(', ')})`,
  fullMatch: (expr, pattern) => `regexp_full_match(${expr}, ${str(pattern)})`,
  isEmail,
  isoDate: (expr) => `CASE WHEN regexp_full_match(${expr}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_strptime(${expr}, '%Y-%m-%d')::DATE END`,
  date: (isoDay) => `DATE ${str(isoDay)}`,
  toBigint: (expr) => `TRY_CAST(${expr} AS BIGINT)`,
  splitPart: (expr, sep, index) => `split_part(${expr}, ${str(sep)}, ${index})`,
  hmacSha256Hex(expr, key) {
    // RFC 2104: H((K0 ^ opad) || H((K0 ^ ipad) || m)); DuckDB's sha256 accepts BLOB and
    // returns lower-case hex, which unhex turns back into the 32 inner bytes.
    const { inner, outer } = hmacPads(key);
    return `sha256(unhex('${outer}') || unhex(sha256(unhex('${inner}') || encode(${expr}))))`;
  },
  parseJsonLines(relation, rawColumn, fields) {
    // The exact way, for every line the canonical test turned away: each value is read as JSON
    // text, whose first character names its JSON type.
    const raw = ident(rawColumn);
    const exact = exactColumns(raw, fields);
    const columns = fields.flatMap((f) => {
      const slow = exact.fields.get(f.name);
      if (!slow) throw new Error(`no exact parse for field ${f.name}`);
      return [`${slow.value} AS ${ident(f.name)}`, `${slow.type} AS ${ident(`${f.name}__type`)}`];
    });
    return `SELECT * EXCLUDE (_rec),
  ${exact.jsonOk} AS _json_ok,
  ${exact.isObject} AS _is_object,
  ${exact.keyCount} AS _key_count,
  ${columns.join(',\n  ')}
FROM (SELECT *, try(json_transform(${raw}, ${str(exact.structure)})) AS _rec FROM ${relation}) exact`;
  },
  canonicalStringText(rawColumn, fields, field) {
    // In the canonical skeleton each key takes two quotes, and each string value two more: the
    // value sits right after the quotes of the fields before it, its own key and its opening quote.
    const index = fields.findIndex((f) => f.name === field);
    if (index < 0 || fields[index]?.json !== 'string') throw new Error(`no string field ${field}`);
    const before = fields.slice(0, index).reduce((n, f) => n + (f.json === 'string' ? 4 : 2), 0) + 3;
    return `split_part(${ident(rawColumn)}, '"', ${before + 1})`;
  },
  parseCanonicalJsonLines(relation, rawColumn, fields) {
    // Nearly every line is canonical: a cheap text test (canonicalText) and one json_transform
    // into typed columns read it. Only lines passing the text test are parsed: a malformed line
    // makes try() evaluate its whole vector again row by row, which bad records must not cost.
    const raw = ident(rawColumn);
    const typed = JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, f.json === 'string' ? 'VARCHAR' : 'DOUBLE'])));
    return `SELECT * EXCLUDE (_text), coalesce(_text AND ${canonicalValues(raw, fields)}, false) AS _canonical
FROM (SELECT * EXCLUDE (_fast),
  ${fields.map((f) => `_fast.${ident(f.name)} AS ${ident(f.name)}`).join(',\n  ')}
FROM (SELECT *, CASE WHEN _text THEN try(json_transform(${raw}, ${str(typed)})) END AS _fast
  FROM (SELECT *, coalesce(${canonicalText(raw, fields)}, false) AS _text FROM ${relation}) text) fast) typed`;
  },
};

/**
 * DuckDB's JSON reader also accepts what JSON does not: trailing commas (before white space too),
 * NaN and infinities in any letter case (nan, Inf, -Infinity). Only the few lines read the exact
 * way take this test, so it is one regular expression over the line with its strings blanked out.
 */
function lenientJson(raw: string): string {
  return `regexp_matches(regexp_replace(${raw}, '"(?:[^"\\\\]|\\\\.)*"', '""', 'g'), '(?i),[ \\t\\r\\n]*[}\\]]|(^|[:\\[,])[ \\t\\r\\n]*[-+]?(nan|inf)')`;
}

/**
 * Keys of an object line: counting '":' is exact for compactly written records whose strings hold
 * no '":'; when that count is not the expected one, json_keys counts exactly.
 */
function keyCount(raw: string, expected: number, isObject: string): string {
  const quick = `(length(${raw}) - length(replace(${raw}, '":', ''))) // 2`;
  return `CASE WHEN NOT (${isObject}) THEN NULL WHEN ${quick} = ${expected} THEN ${expected} ELSE json_array_length(json_keys(${raw})) END`;
}

/**
 * A line is canonical when its text is the contract's record written compactly, keys in contract
 * order, and json_transform read every value: then the typed values are what the line says. The
 * test is cheap text matching (LIKE and contains, no regex), because every line takes it, then a
 * look at the values read (canonicalValues):
 *  - the line matches the skeleton `{"k1":"%","k2":%,...}` (a string field's value between quotes);
 *  - it holds no quote beyond the skeleton's own, so every `%` above is quote-free: no number
 *    written as a string, no extra key, no string where a number belongs, no escaped quote;
 *  - no trailing comma, which DuckDB's reader tolerates and JSON does not (no comma or white space
 *    before the closing brace);
 *  - every string value came out, and a NULL number is a JSON null where null is allowed;
 *  - no true or false where a number belongs (DuckDB reads them as 1 and 0): only a line with a
 *    number read as 0 or 1 is searched for them, after the parse, not every line before it.
 * What it leaves to the caller (see Dialect.parseCanonicalJsonLines): a number spelled NaN or
 * Infinity, or given as null, [] or {} where null is not allowed, reads as a non-finite value or
 * NULL, which every value check of the contract turns away.
 * A line failing any of these is only read the exact way; it is not thereby bad.
 */
function canonicalText(raw: string, fields: readonly JsonField[]): string {
  if (fields.some((f) => /[%_\\"]/.test(f.name))) return 'false';
  const skeleton = `{${fields.map((f) => `"${f.name}":${f.json === 'string' ? '"%"' : '%'}`).join(',')}}`;
  const quotes = 2 * fields.length + 2 * fields.filter((f) => f.json === 'string').length;
  // A trailing comma: the last value, quote-free when it is a number, would be followed by a comma
  // and maybe white space. Neither may stand before the closing brace (white space there is valid
  // JSON, just not canonical). Suffix tests compare a few bytes; a LIKE would scan the line.
  const last = fields[fields.length - 1];
  const trailingComma = last?.json === 'number' ? [`NOT (${[`','`, `' '`, 'chr(9)', 'chr(13)'].map((c) => `suffix(${raw}, ${c} || '}')`).join(' OR ')})`] : [];
  return [
    `${raw} LIKE ${str(skeleton)}`,
    `NOT ${raw} LIKE ${str(`%${'"%'.repeat(quotes + 1)}`)}`,
    ...trailingComma,
  ].join('\n      AND ');
}

/** The canonical test's part on the values json_transform read (typed columns), see canonicalText. */
function canonicalValues(raw: string, fields: readonly JsonField[]): string {
  const tests = fields.flatMap((f) => {
    const value = ident(f.name);
    if (f.json === 'string') return [`${value} IS NOT NULL`];
    // NULL must come from a JSON null: DuckDB also reads {} or [] as NULL.
    return f.nullable ? [`(${value} IS NOT NULL OR contains(${raw}, ${str(`"${f.name}":null`)}))`] : [];
  });
  // true and false read as 1 and 0. Outside strings they can only stand where a number belongs, so
  // only a line with a number read as 0 or 1 is searched (one holding the word in a string merely
  // takes the exact way). contains, not strpos: strpos counts characters up to a match.
  const zeroOrOne = fields
    .filter((f) => f.json === 'number')
    .map((f) => `${ident(f.name)} = 0 OR ${ident(f.name)} = 1`)
    .join(' OR ');
  if (zeroOrOne) tests.push(`CASE WHEN ${zeroOrOne} THEN NOT (contains(${raw}, 'true') OR contains(${raw}, 'false')) ELSE true END`);
  return tests.length ? `(${tests.join(' AND ')})` : 'true';
}

/**
 * The exact path: json_transform (as `_rec`) into a struct whose fields are JSON text, so the first
 * character of each value names its JSON type. JSON null and an absent key both come back as NULL;
 * json_exists tells them apart. try() turns a malformed line into NULL.
 */
function exactColumns(raw: string, fields: readonly JsonField[]) {
  const structure = JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, 'JSON'])));
  // Comparisons, not IN (...): DuckDB plans an IN list as a join over every line, although
  // only the few lines that take this path need it.
  const startsNumber = (text: string): string => `(left(${text}, 1) BETWEEN '0' AND '9' OR left(${text}, 1) = '-')`;
  const columns = new Map(
    fields.map((f) => {
      const text = `_rec.${ident(f.name)}::VARCHAR`;
      const value =
        f.json === 'string'
          ? `CASE WHEN left(${text}, 1) = '"' THEN _rec.${ident(f.name)}->>'$' END`
          : `CASE WHEN ${startsNumber(text)} THEN TRY_CAST(${text} AS DOUBLE) END`;
      const type = `CASE
      WHEN _rec IS NULL THEN NULL
      WHEN _rec.${ident(f.name)} IS NULL THEN CASE WHEN json_exists(${raw}, ${str(`$."${f.name}"`)}) THEN 'null' ELSE 'absent' END
      WHEN left(${text}, 1) = '"' THEN 'string'
      WHEN ${startsNumber(text)} THEN 'number'
      ELSE 'other' END`;
      return [f.name, { value, type }] as const;
    }),
  );
  const isObject = `_rec IS NOT NULL AND ltrim(${raw}) LIKE '{%'`;
  return {
    structure,
    fields: columns,
    jsonOk: `CASE WHEN _rec IS NOT NULL THEN NOT (${lenientJson(raw)}) WHEN json_valid(${raw}) THEN NOT (${lenientJson(raw)}) ELSE false END`,
    isObject: `(${isObject})`,
    keyCount: keyCount(raw, fields.length, isObject),
  };
}

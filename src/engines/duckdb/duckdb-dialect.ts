/** DuckDB SQL generation. Pure: no connection needed. */
import type { Dialect, JsonField } from '../dialect.js';
import { hmacPads } from '../../privacy/hmac-pads.js';

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const str = (value: string): string => `'${value.replaceAll("'", "''")}'`;
const SPACE = `' ' || chr(9) || chr(10) || chr(13)`;
const EDGE = `(' ', chr(9), chr(10), chr(13))`;

/**
 * trim() with a set of characters costs a scan per value even when there is nothing to trim, and
 * emails are trimmed once per reading: test the first and last character first.
 */
function trimSpace(expr: string): string {
  return `CASE WHEN left(${expr}, 1) IN ${EDGE} OR right(${expr}, 1) IN ${EDGE} THEN trim(${expr}, ${SPACE}) ELSE ${expr} END`;
}

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  ident,
  str,
  int: (value) => `${BigInt(value)}::BIGINT`,
  normalizeEmail: (expr) => `lower(${trimSpace(expr)})`,
  trimSpace,
  fullMatch: (expr, pattern) => `regexp_full_match(${expr}, ${str(pattern)})`,
  matchesTrimmed: (expr, pattern, maxLength) =>
    `(regexp_full_match(${expr}, ${str(`[ \t\r\n]*(?:${pattern})[ \t\r\n]*`)}) AND CASE WHEN length(${expr}) <= ${maxLength} THEN true ELSE length(trim(${expr}, ${SPACE})) <= ${maxLength} END)`,
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
  preparseJsonLines(relation, rawColumn, fields) {
    // The fast path parses each line once into typed values (as fast as read_json) and calls a
    // line clean when every value came out and the text shows each was written with the expected
    // JSON type (DuckDB's casts are lenient: "12" -> 12, true -> 1). It is materialized on its
    // own: in one statement, DuckDB's optimizer pushes the clean test below the parse and then
    // parses the line once per field.
    const raw = ident(rawColumn);
    const typed = JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, f.json === 'string' ? 'VARCHAR' : 'DOUBLE'])));
    // Clean means: every value parsed, each string field starts with a quote, and the line has
    // exactly the quotes of its keys and its string values (so no number was written as a string,
    // no extra key, no escaped quote, no array of strings) and no true/false (read as 1/0).
    const strings = fields.filter((f) => f.json === 'string').length;
    const quotes = `length(${raw}) - length(replace(${raw}, '"', ''))`;
    const stringStart = (name: string): string =>
      `(strpos(${raw}, ${str(`"${name}":"`)}) > 0 OR strpos(${raw}, ${str(`"${name}": "`)}) > 0)`;
    const clean = [
      ...fields.map((f) => `_fast.${ident(f.name)} IS NOT NULL`),
      // A string field must hold a string, not an array or object whose text DuckDB would accept.
      ...fields.filter((f) => f.json === 'string').map((f) => stringStart(f.name)),
      `${quotes} = ${2 * (fields.length + strings)}`,
      `strpos(${raw}, 'true') = 0`,
      `strpos(${raw}, 'false') = 0`,
      // What DuckDB's reader tolerates and JSON does not goes to the exact path too.
      `NOT (${suspectLenient(raw)})`,
    ].join(' AND ');
    return `SELECT *, coalesce(${clean}, false) AS _clean
FROM (SELECT *, try(json_transform(${raw}, ${str(typed)})) AS _fast FROM ${relation})`;
  },
  parseJsonLines(relation, rawColumn, fields) {
    // Clean lines (see preparseJsonLines) keep their typed values and have exactly the contract's
    // keys; the rest (bad records: rare) take the exact path, which reads each value's JSON text
    // to name its type.
    const raw = ident(rawColumn);
    const fastColumns = fields.map((f) => `_fast.${ident(f.name)} AS ${ident(f.name)}, '${f.json}' AS ${ident(`${f.name}__type`)}`);
    return `SELECT * EXCLUDE (_fast, _clean),
  true AS _json_ok,
  true AS _is_object,
  ${fields.length} AS _key_count,
  ${fastColumns.join(',\n  ')}
FROM ${relation} WHERE _clean
UNION ALL BY NAME
${exactParse(`(SELECT * EXCLUDE (_fast, _clean) FROM ${relation} WHERE NOT _clean)`, raw, fields)}`;
  },
};

/**
 * DuckDB's JSON reader also accepts what JSON does not: trailing commas, NaN, Infinity. Lines that
 * might use them (a cheap substring test) are checked exactly, with string literals blanked out.
 */
function suspectLenient(raw: string): string {
  return [',}', ',]', ', }', ', ]', 'NaN', 'Infinity'].map((t) => `strpos(${raw}, ${str(t)}) > 0`).join(' OR ');
}

function lenientJson(raw: string): string {
  const suspect = suspectLenient(raw);
  // CASE, not AND: DuckDB evaluates both sides of an AND, and the regex must only see suspects.
  return `CASE WHEN ${suspect} THEN regexp_matches(regexp_replace(${raw}, '"(?:[^"\\\\]|\\\\.)*"', '""', 'g'), ',\\s*[}\\]]|[:\\[,]\\s*-?(NaN|Infinity)') ELSE false END`;
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
 * The exact path: json_transform into a struct whose fields are JSON text, so the first character
 * of each value names its JSON type. JSON null and an absent key both come back as NULL;
 * json_exists tells them apart. try() turns a malformed line into NULL.
 */
function exactParse(relation: string, raw: string, fields: readonly JsonField[]): string {
  const structure = JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, 'JSON'])));
  const digit = `IN ('-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')`;
  const columns = fields.map((f) => {
    const text = `_rec.${ident(f.name)}::VARCHAR`;
    const value =
      f.json === 'string'
        ? `CASE WHEN left(${text}, 1) = '"' THEN _rec.${ident(f.name)}->>'$' END`
        : `CASE WHEN left(${text}, 1) ${digit} THEN TRY_CAST(${text} AS DOUBLE) END`;
    const type = `CASE
      WHEN _rec IS NULL THEN NULL
      WHEN _rec.${ident(f.name)} IS NULL THEN CASE WHEN json_exists(${raw}, ${str(`$."${f.name}"`)}) THEN 'null' ELSE 'absent' END
      WHEN left(${text}, 1) = '"' THEN 'string'
      WHEN left(${text}, 1) ${digit} THEN 'number'
      ELSE 'other' END`;
    return `${value} AS ${ident(f.name)}, ${type} AS ${ident(`${f.name}__type`)}`;
  });
  const isObject = `_rec IS NOT NULL AND ltrim(${raw}) LIKE '{%'`;
  return `SELECT * EXCLUDE (_rec),
  CASE WHEN _rec IS NOT NULL THEN NOT (${lenientJson(raw)}) WHEN json_valid(${raw}) THEN NOT (${lenientJson(raw)}) ELSE false END AS _json_ok,
  ${isObject} AS _is_object,
  ${keyCount(raw, fields.length, isObject)} AS _key_count,
  ${columns.join(',\n  ')}
FROM (SELECT *, try(json_transform(${raw}, ${str(structure)})) AS _rec FROM ${relation})`;
}

/** DuckDB SQL generation. Pure: no connection needed. */
import type { Dialect } from '../dialect.js';
import { hmacPads } from '../../privacy/hmac-pads.js';

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const str = (value: string): string => `'${value.replaceAll("'", "''")}'`;
const SPACE = `' ' || chr(9) || chr(10) || chr(13)`;

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  ident,
  str,
  int: (value) => `${BigInt(value)}::BIGINT`,
  normalizeEmail: (expr) => `lower(trim(${expr}, ${SPACE}))`,
  trimSpace: (expr) => `trim(${expr}, ${SPACE})`,
  fullMatch: (expr, pattern) => `regexp_full_match(${expr}, ${str(pattern)})`,
  isoDate: (expr) => `CASE WHEN regexp_full_match(${expr}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_strptime(${expr}, '%Y-%m-%d')::DATE END`,
  date: (isoDay) => `DATE ${str(isoDay)}`,
  toBigint: (expr) => `CAST(${expr} AS BIGINT)`,
  splitPart: (expr, sep, index) => `split_part(${expr}, ${str(sep)}, ${index})`,
  hmacSha256Hex(expr, key) {
    // RFC 2104: H((K0 ^ opad) || H((K0 ^ ipad) || m)); DuckDB's sha256 accepts BLOB and
    // returns lower-case hex, which unhex turns back into the 32 inner bytes.
    const { inner, outer } = hmacPads(key);
    return `sha256(unhex('${outer}') || unhex(sha256(unhex('${inner}') || encode(${expr}))))`;
  },
  parseJsonLines(relation, rawColumn, fields) {
    // One parse per line: json_transform into a struct whose fields are JSON text, so a string
    // "12" is not silently read as the number 12 (DuckDB's casts are lenient) and the first
    // character of each value names its JSON type. JSON null and an absent key both come back as
    // NULL; json_exists tells them apart and runs only on the rare rows that need it (CASE is
    // evaluated selectively). try() turns a malformed line into NULL.
    const raw = ident(rawColumn);
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
    // Keys of the object: counting '":' is exact for compactly written records whose strings hold
    // no '":'; when that count is not the expected one, json_keys counts exactly.
    const quickKeys = `(length(${raw}) - length(replace(${raw}, '":', ''))) // 2`;
    // DuckDB's JSON reader also accepts what JSON does not: trailing commas, NaN, Infinity. Lines
    // that might use them (a cheap substring test) are checked exactly, with strings blanked out.
    const suspect = [',}', ',]', ', }', ', ]', 'NaN', 'Infinity'].map((t) => `strpos(${raw}, ${str(t)}) > 0`).join(' OR ');
    const lenient = `(${suspect}) AND regexp_matches(regexp_replace(${raw}, '"(?:[^"\\\\]|\\\\.)*"', '""', 'g'), ',\\s*[}\\]]|[:\\[,]\\s*-?(NaN|Infinity)')`;
    return `SELECT * EXCLUDE (_rec),
  CASE WHEN _rec IS NOT NULL THEN NOT (${lenient}) WHEN json_valid(${raw}) THEN NOT (${lenient}) ELSE false END AS _json_ok,
  _rec IS NOT NULL AND ltrim(${raw}) LIKE '{%' AS _is_object,
  CASE
    WHEN _rec IS NULL OR NOT ltrim(${raw}) LIKE '{%' THEN NULL
    WHEN ${quickKeys} = ${fields.length} THEN ${fields.length}
    ELSE json_array_length(json_keys(${raw}))
  END AS _key_count,
  ${columns.join(',\n  ')}
FROM (SELECT *, try(json_transform(${raw}, ${str(structure)})) AS _rec FROM ${relation})`;
  },
};

/**
 * Trino SQL generation. Pure: no connection needed (tested in test/engines/trino-dialect.test.ts).
 * Also what Amazon Athena (engine v3, Trino-based) speaks.
 */
import { EMAIL_PATTERN, MAX_EMAIL_LENGTH } from '../../contracts/landing.js';
import type { Dialect, JsonField } from '../dialect.js';

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const str = (value: string): string => `'${value.replaceAll("'", "''")}'`;
const SPACE = `' ' || chr(9) || chr(10) || chr(13)`;

/**
 * One field of a parsed line: its JSON type and its value. `_m` is the line as a map from key to
 * JSON value (NULL unless the line is an object), so each line is parsed once and a key is looked
 * up exactly as spelled (map keys are case-sensitive, like DuckDB's json_transform). A key whose
 * value is JSON null is present with the JSON value `null`; an absent key gives SQL NULL.
 *
 * One quirk: json_parse reads a number beyond the double range (1e999) as Infinity and renders it
 * as the string "Infinity". It is still a number (DuckDB's reader says so too, and the contract's
 * not_finite rule must see it): such a value counts as a number unless the line itself holds the
 * quoted text, i.e. unless someone really sent the string.
 */
function fieldColumns(f: JsonField, raw: string): string {
  const v = `element_at(_m, ${str(f.name)})`;
  const text = `json_format(${v})`;
  const overflow = `(${text} IN ('"Infinity"', '"-Infinity"') AND strpos(r.${raw}, ${text}) = 0)`;
  const isNumber = `(regexp_like(${text}, '^-?[0-9]') OR ${overflow})`;
  const isString = `(${text} LIKE '"%' AND NOT ${overflow})`;
  // Trino's CAST(json AS ...) is lenient (it turns "17" into 17), so the JSON type decides first.
  const value = f.json === 'string' ? `CASE WHEN ${isString} THEN CAST(${v} AS varchar) END` : `CASE WHEN ${isNumber} THEN try(CAST(${v} AS double)) END`;
  const type = `CASE
      WHEN _j IS NULL THEN NULL
      WHEN ${v} IS NULL THEN 'absent'
      WHEN ${text} = 'null' THEN 'null'
      WHEN ${isNumber} THEN 'number'
      WHEN ${isString} THEN 'string'
      ELSE 'other' END`;
  return `${value} AS ${ident(f.name)}, ${type} AS ${ident(`${f.name}__type`)}`;
}

export const trinoDialect: Dialect = {
  name: 'trino',
  ident,
  str,
  int: (value) => `BIGINT '${BigInt(value)}'`,
  normalizeEmail: (expr) => `lower(trim(${expr}, ${SPACE}))`,
  trimSpace: (expr) => `trim(${expr}, ${SPACE})`,
  // Trino's regexp_like finds a match anywhere; anchoring the whole pattern makes it a full match.
  fullMatch: (expr, pattern) => `regexp_like(${expr}, ${str(`^(?:${pattern})$`)})`,
  isEmail: (expr) =>
    `(length(trim(${expr}, ${SPACE})) <= ${MAX_EMAIL_LENGTH} AND regexp_like(trim(${expr}, ${SPACE}), ${str(`^(?:${EMAIL_PATTERN})$`)}))`,
  // CAST to date refuses impossible days (2023-02-30); try() makes that NULL, as in DuckDB.
  isoDate: (expr) => `CASE WHEN regexp_like(${expr}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN try(CAST(${expr} AS date)) END`,
  date: (isoDay) => `DATE ${str(isoDay)}`,
  toBigint: (expr) => `TRY_CAST(${expr} AS bigint)`,
  splitPart: (expr, sep, index) => `split_part(${expr}, ${str(sep)}, ${index})`,
  hmacSha256Hex: (expr, key) => `lower(to_hex(hmac_sha256(to_utf8(${expr}), from_hex('${key.toString('hex')}'))))`,
  parseJsonLines(relation, rawColumn, fields) {
    // try(json_parse) is NULL for text that is not JSON; the lateral keeps the JSON values (which
    // no table can store) out of `r.*`.
    return `SELECT r.*,
  _j IS NOT NULL AS _json_ok,
  _m IS NOT NULL AS _is_object,
  cardinality(_m) AS _key_count,
  ${fields.map((f) => fieldColumns(f, ident(rawColumn))).join(',\n  ')}
FROM ${relation} r
CROSS JOIN LATERAL (SELECT try(json_parse(r.${ident(rawColumn)})) AS _j) parsed
CROSS JOIN LATERAL (SELECT try(CAST(_j AS map(varchar, json))) AS _m) object`;
  },
};

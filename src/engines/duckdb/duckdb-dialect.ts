/** DuckDB SQL generation. Pure: no connection needed. */
import type { Dialect } from '../dialect.js';
import { hmacPads } from '../../privacy/hmac-pads.js';

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const str = (value: string): string => `'${value.replaceAll("'", "''")}'`;

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  ident,
  str,
  int: (value) => {
    const n = BigInt(value);
    return `${n}::BIGINT`;
  },
  normalizeEmail: (expr) => `lower(trim(${expr}))`,
  hmacSha256Hex(expr, key) {
    // RFC 2104: H((K0 ^ opad) || H((K0 ^ ipad) || m)); DuckDB's sha256 accepts BLOB and
    // returns lower-case hex, which unhex turns back into the 32 inner bytes.
    const { inner, outer } = hmacPads(key);
    return `sha256(unhex('${outer}') || unhex(sha256(unhex('${inner}') || encode(${expr}))))`;
  },
  parseJsonLines(relation, rawColumn, columns) {
    // json_transform parses each line once into a struct (try() turns a malformed line into NULL);
    // keys it lacks, or values it cannot convert, come back as NULL and are caught by the
    // contract checks that follow. The slower per-reason diagnosis runs only on failing lines.
    const structure = JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, c.type])));
    const fields = columns.map((c) => `_rec.${ident(c.name)} AS ${ident(c.name)}`).join(', ');
    return `SELECT * EXCLUDE (_rec), _rec IS NOT NULL AS _valid_json, ${fields}
FROM (SELECT *, try(json_transform(${ident(rawColumn)}, ${str(structure)})) AS _rec FROM ${relation})`;
  },
};

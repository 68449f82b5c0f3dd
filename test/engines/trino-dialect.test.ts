// Trino SQL generation, checked without a server (the equivalence test runs it on one).
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { trinoDialect as d } from '../../src/engines/trino/trino-dialect.js';

describe('trino dialect', () => {
  it('quotes identifiers and strings', () => {
    expect(d.ident('user')).toBe('"user"');
    expect(d.ident('a"b')).toBe('"a""b"');
    expect(d.str("O'Hara")).toBe("'O''Hara'");
    expect(d.int(1_655_000_000_000)).toBe("BIGINT '1655000000000'");
  });

  it('renders the HMAC key as hex bytes for hmac_sha256', () => {
    const key = Buffer.from('k3y');
    expect(d.hmacSha256Hex('email', key)).toBe(`lower(to_hex(hmac_sha256(to_utf8(email), from_hex('${key.toString('hex')}'))))`);
    // The same key bytes Node's createHmac uses.
    expect(Buffer.from('6b3379', 'hex').equals(key)).toBe(true);
    expect(crypto.createHmac('sha256', key).update('a').digest('hex')).toHaveLength(64);
  });

  it('anchors full matches and guards dates', () => {
    expect(d.fullMatch('x', '[a-z]+|[0-9]+')).toBe(`regexp_like(x, '^(?:[a-z]+|[0-9]+)$')`);
    expect(d.isoDate('b')).toContain('try(CAST(b AS date))');
    expect(d.date('2024-02-29')).toBe("DATE '2024-02-29'");
    expect(d.trimSpace('e')).toBe("trim(e, ' ' || chr(9) || chr(10) || chr(13))");
    expect(d.normalizeEmail('e')).toBe(`lower(${d.trimSpace('e')})`);
  });

  it('parses each line once and looks keys up exactly as spelled', () => {
    const sql = d.parseJsonLines('"raw"', '_raw', [
      { name: 'serialNumber', json: 'string' },
      { name: 'x', json: 'number' },
    ]);
    expect(sql.match(/json_parse/g)).toHaveLength(1);
    expect(sql).toContain("try(json_parse(r.\"_raw\"))");
    expect(sql).toContain("try(CAST(_j AS map(varchar, json)))");
    expect(sql).toContain("element_at(_m, 'serialNumber')");
    expect(sql).not.toContain("'serialnumber'");
    for (const col of ['_json_ok', '_is_object', '_key_count', '"serialNumber"', '"serialNumber__type"', '"x"', '"x__type"']) {
      expect(sql).toContain(`AS ${col}`);
    }
    // The JSON type decides before any CAST (Trino's CAST(json AS double) would read "1.5" as 1.5).
    expect(sql).toContain(`CASE WHEN (regexp_like(json_format(element_at(_m, 'x')), '^-?[0-9]') OR`);
    // 1e999 parses to Infinity, rendered "Infinity": a number unless the line holds that quoted text.
    expect(sql).toContain(`strpos(r."_raw", json_format(element_at(_m, 'x'))) = 0`);
  });
});

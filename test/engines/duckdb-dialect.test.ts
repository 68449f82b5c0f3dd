import crypto from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { duckdbDialect as d } from '../../src/engines/duckdb/duckdb-dialect.js';

async function scalar(sql: string): Promise<unknown> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowsJson()[0]?.[0];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe('DuckDB dialect', () => {
  it.each([
    ['a@b.com', 'short-key-16-chars'],
    ['ümlaut@exämple.de', 'k'.repeat(64)],
    ['x@y.z', 'a key longer than the sixty-four byte block of SHA-256, so it is hashed first'],
  ])('computes HMAC-SHA256 of %s exactly as Node crypto does', async (email, key) => {
    const expected = crypto.createHmac('sha256', key).update(email).digest('hex');
    expect(await scalar(`SELECT ${d.hmacSha256Hex(d.str(email), Buffer.from(key))}`)).toBe(expected);
  });

  it('quotes identifiers and strings so input cannot break out', async () => {
    expect(d.ident('we"ird')).toBe('"we""ird"');
    expect(await scalar(`SELECT ${d.str("it's'; DROP TABLE x; --")}`)).toBe("it's'; DROP TABLE x; --");
  });

  it('normalizes emails by trimming and lower-casing', async () => {
    expect(await scalar(`SELECT ${d.normalizeEmail(d.str('  Ann.Lee@Example.COM '))}`)).toBe('ann.lee@example.com');
  });
});

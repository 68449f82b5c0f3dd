import crypto from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { checkField } from '../../src/contracts/landing.js';
import { duckdbDialect as d } from '../../src/engines/duckdb/duckdb-dialect.js';
import { CHECKS } from '../../src/quality/checks.js';

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

  it('decides what is an email exactly as the TypeScript contract does', async () => {
    // Short strings over an alphabet of the characters the rule cares about, plus every edge case
    // written out: the SQL translation of EMAIL_PATTERN must agree on each.
    const alphabet = ['a', 'Z', '@', '.', ' ', '\t', '\n', '\r', '\f', 'é', '%', '_'];
    let seed = 7;
    const next = (n: number): number => {
      // 32-bit LCG in integer arithmetic (a plain product would lose bits beyond 2^53 and cycle).
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return (seed >>> 8) % n;
    };
    const samples = new Set<string>([
      'a@b.c', ' a@b.c ', '\ta@b.c\r\n', '\fa@b.c', 'a@b.c\f', '@b.c', 'a@.c', 'a@b.', 'a@b..c', 'a@b', 'a@@b.c',
      'a@b@c.d', 'a.b@c.d', '.a@b.c', 'a b@c.d', 'é@ü.de', `${'a'.repeat(250)}@b.c`, `${'a'.repeat(251)}@b.c`,
      `${'é'.repeat(250)}@b.c`, `  ${'a'.repeat(250)}@b.c  `, `  ${'a'.repeat(251)}@b.c\t`, `\r${'é'.repeat(250)}@b.c`, ' a@b.c\f', '\na b@c.d', '',
    ]);
    const word = (max: number): string => Array.from({ length: next(max + 1) }, () => alphabet[next(alphabet.length)]).join('');
    while (samples.size < 3000) {
      // Half free strings, half shaped like local@domain.tld with any characters in the parts.
      samples.add(next(2) === 0 ? word(9) : `${word(3)}@${word(3)}.${word(3)}`);
    }
    const values = [...samples];
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const rows = (await conn.runAndReadAll(`SELECT i, ${d.isEmail('v')} AS ok FROM (SELECT unnest(range(${values.length})) AS i, unnest([${values.map((v) => d.str(v)).join(', ')}]) AS v) ORDER BY i`)).getRowObjects();
      const sql = rows.map((r) => [values[Number(r.i)], r.ok]);
      const contract = values.map((v) => [v, checkField('email', 'email', v, 0) === undefined]);
      expect(sql).toEqual(contract);
      expect(contract.filter(([, ok]) => ok).length).toBeGreaterThan(20);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe('DuckDB uniqueness check', () => {
  it('finds keys that repeat only as -0.0 and 0.0, or only with NULLs, through the hash prefilter', async () => {
    const check = CHECKS.find((c) => c.name === 'unique_key' && c.table === 'accelerometer_trusted');
    if (!check) throw new Error('no unique_key check on accelerometer_trusted');
    const sql = check.sql({ dialect: d, policy: 'strict', ref: () => 't', pseudonymKey: () => Buffer.alloc(0) });
    expect(sql).toContain('hash(');
    const rows = `(VALUES ('a@b.co', 1::BIGINT, 0.0::DOUBLE, 1.0::DOUBLE, 2.0::DOUBLE), ('a@b.co', 1, -0.0, 1.0, 2.0),
      (NULL, 2, 1.0, 1.0, 1.0), (NULL, 2, 1.0, 1.0, 1.0), ('c@d.co', 3, 1.0, 1.0, 1.0), ('c@d.co', 3, 1.0, 1.0, 1.5))
      v(email, reading_time, x, y, z)`;
    expect(await scalar(`WITH t AS (SELECT * FROM ${rows}) SELECT count(*) FROM (${sql})`)).toBe('2');
  });

  it('screens a table whose keys all differ as passed, and one with repeats (also -0.0 and 0.0, NULLs) as not', async () => {
    const check = CHECKS.find((c) => c.name === 'unique_key' && c.table === 'accelerometer_trusted');
    const screen = check?.screen?.({ dialect: d, policy: 'strict', ref: () => 't', pseudonymKey: () => Buffer.alloc(0) });
    if (!screen) throw new Error('no screen for the unique_key check on accelerometer_trusted');
    const table = (values: string) => `WITH t AS (SELECT * FROM (VALUES ${values}) v(email, reading_time, x, y, z)) ${screen}`;
    const distinct = `('a@b.co', 1::BIGINT, 0.0::DOUBLE, 1.0::DOUBLE, 2.0::DOUBLE), ('a@b.co', 1, 0.5, 1.0, 2.0), (NULL, 2, 1.0, 1.0, 1.0)`;
    expect(await scalar(table(distinct))).toBe('0');
    expect(await scalar(table(`${distinct}, ('a@b.co', 1, -0.0, 1.0, 2.0)`))).toBe('1');
    expect(await scalar(table(`${distinct}, (NULL, 2, 1.0, 1.0, 1.0), (NULL, 2, 1.0, 1.0, 1.0)`))).toBe('2');
  });
});

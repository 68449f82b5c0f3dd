/**
 * The DuckDB engine reads landing lines up to MAX_LINE_BYTES. A longer line is no record it can
 * read, but it is not lost either: it is quarantined as invalid_json with its line number, and the
 * lines after it are read as usual. A long line within the limit is read and checked like any other.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbEngine, MAX_LINE_BYTES } from '../../src/engines/duckdb/duckdb-engine.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { prepareLanding } from '../../src/pipeline/landing.js';
import { tempDir } from '../helpers/lake-files.js';

const NOW = Date.UTC(2026, 0, 15);
const T = NOW - 86_400_000;

const reading = (user: string): string => `{"user":${JSON.stringify(user)},"timestamp":${T},"x":0.5,"y":-1,"z":2.25}`;

describe('DuckDB landing: lines longer than the engine reads', () => {
  it('quarantines an over-long line with its number and reads on; a long line within the limit is checked', async () => {
    const lake = await tempDir('long-lines');
    const layout = new LakeLayout(lake);
    await fs.mkdir(layout.landingDir('accelerometer'), { recursive: true });
    const lines = [
      reading('a@x.com'),
      reading(`${'b'.repeat(MAX_LINE_BYTES)}@x.com`), // over the limit: unreadable
      reading('c@x.com'),
      reading(`${'d'.repeat(1024 * 1024)}@x.com`), // 1 MiB: read, and too long for an email
      reading('e@x.com'),
    ];
    await fs.writeFile(path.join(layout.landingDir('accelerometer'), 'accelerometer-1.json'), `${lines.join('\n')}\n`);
    const engine = await DuckDbEngine.open();
    try {
      const landing = await prepareLanding(engine, layout, 'accelerometer', { nowMillis: NOW });
      const quarantined = await engine.query<{ line: bigint; rule: string; field: string | null }>(
        `SELECT line_number AS line, rule, field FROM "${landing.quarantineRelation}" ORDER BY line_number`,
      );
      expect(quarantined.map((q) => [Number(q.line), q.rule, q.field])).toEqual([
        [2, 'invalid_json', null],
        [4, 'not_an_email', 'user'],
      ]);
      expect(landing.rows).toBe(3);
    } finally {
      await engine.close();
    }
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asDuckDbShowsIt, invalidUtf8Lines } from '../../src/engines/trino/invalid-utf8.js';
import { tempDir } from '../helpers/lake-files.js';

describe('lines that are not UTF-8 (Trino engine)', () => {
  it('renders them as DuckDB reports them: one ? per byte the lead byte announces', () => {
    expect(asDuckDbShowsIt(Buffer.from([0x61, 0xff, 0xfe, 0x62]))).toBe('a??b');
    expect(asDuckDbShowsIt(Buffer.from([0xc3, 0x28, 0x61]))).toBe('??a');
    expect(asDuckDbShowsIt(Buffer.from([0xe2, 0x82, 0x53, 0x61]))).toBe('???a');
    expect(asDuckDbShowsIt(Buffer.from('café ✓', 'utf8'))).toBe('café ✓');
  });

  it('finds every such line with its number, across chunk boundaries', async () => {
    const dir = await tempDir('utf8');
    const file = path.join(dir, 'x.json');
    const good = Buffer.from(`${'{"a":1}\n'.repeat(20_000)}`);
    await fs.writeFile(file, Buffer.concat([good, Buffer.from([0x7b, 0xff, 0x7d, 0x0d, 0x0a]), good, Buffer.from([0x80])]));
    expect(await invalidUtf8Lines(file)).toEqual([
      { file, line: 20_001, raw: '{?}', reason: 'invalid encoding' },
      { file, line: 40_002, raw: '?', reason: 'invalid encoding' },
    ]);
  });
});

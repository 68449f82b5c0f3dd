/**
 * locateLines finds bad records' line numbers by text. It decodes only lines whose fingerprint
 * (length and a sample of bytes) matches a wanted text, so the cases that matter are the ones a
 * fingerprint cannot tell apart, lines across read chunks, and the line-ending rules.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateLines } from '../../src/pipeline/line-locator.js';
import { tempDir } from '../helpers/lake-files.js';

async function fileWith(text: string | Buffer): Promise<string> {
  const file = path.join(await tempDir('line-locator-'), 'landing.json');
  await fs.writeFile(file, text);
  return file;
}

describe('locateLines', () => {
  it('numbers repeated texts in file order, strips a trailing CR and reads a last line without newline', async () => {
    const file = await fileWith('{"a":1}\n{"b":2}\r\n\n{"a":1}\n  \n{"c":3}');
    const found = await locateLines(file, ['{"a":1}', '{"b":2}', '{"a":1}', '{"c":3}', '{"missing":0}']);
    expect(found.get('{"a":1}')).toEqual([1, 4]);
    expect(found.get('{"b":2}')).toEqual([2]);
    expect(found.get('{"c":3}')).toEqual([6]);
    expect(found.has('{"missing":0}')).toBe(false);
  });

  it('asks for a text once, finds its first line only', async () => {
    const file = await fileWith('x\ny\nx\n');
    expect((await locateLines(file, ['x'])).get('x')).toEqual([1]);
  });

  it('tells apart lines that differ only where the fingerprint does not look', async () => {
    // 100-byte lines sample every 4th byte: these differ at byte 1 only.
    const base = 'a'.repeat(100);
    const wanted = `a${'b'}${base.slice(2)}`;
    const other = `a${'c'}${base.slice(2)}`;
    const file = await fileWith(`${other}\n${other}\n${wanted}\n${other}\n`);
    expect((await locateLines(file, [wanted])).get(wanted)).toEqual([3]);
  });

  it('finds lines across read chunks, long lines and multi-byte characters', async () => {
    const filler = `${'{"user":"jo@x.com","n":1}\n'.repeat(100_000)}`;
    const long = `{"s":"${'é'.repeat(700_000)}"}`;
    const file = await fileWith(`${filler}${long}\n${filler}ünïcode\n`);
    const found = await locateLines(file, [long, 'ünïcode']);
    expect(found.get(long)).toEqual([100_001]);
    expect(found.get('ünïcode')).toEqual([200_002]);
  });
});

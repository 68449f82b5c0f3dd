/**
 * Every line of a file that is not valid UTF-8, with its 1-based number and its text (what is
 * not text shown as '?'). Trino reads such bytes without complaint and has no line numbers, so the
 * engine asks it only which files hold such lines and numbers them here.
 */
import fs from 'node:fs';
import type { UnreadableLine } from '../engine.js';

export async function invalidUtf8Lines(file: string): Promise<UnreadableLine[]> {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const found: UnreadableLine[] = [];
  let line = 1;
  let carry = Buffer.alloc(0);
  const check = (bytes: Buffer): void => {
    try {
      strict.decode(bytes);
    } catch {
      found.push({ file, line, raw: asDuckDbShowsIt(bytes).replace(/\r+$/, ''), reason: 'invalid encoding' });
    }
  };
  for await (const chunk of fs.createReadStream(file)) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
      check(buf.subarray(start, i));
      line++;
      start = i + 1;
    }
    carry = Buffer.from(buf.subarray(start));
  }
  if (carry.length) check(carry);
  return found;
}

/**
 * The line as DuckDB's CSV reader reports a rejected line, so both engines quarantine the same
 * text: a sequence that is not UTF-8 becomes one '?' per byte its lead byte announces.
 */
export function asDuckDbShowsIt(bytes: Uint8Array): string {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const size = lead >= 0xf8 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    const end = Math.min(i + size, bytes.length);
    try {
      out += strict.decode(bytes.subarray(i, end));
    } catch {
      out += '?'.repeat(end - i);
    }
    i = end;
  }
  return out;
}

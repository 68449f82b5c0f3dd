/**
 * Every line of a file that is not valid UTF-8, with its 1-based number and its text (invalid
 * bytes shown as U+FFFD). Trino reads such bytes without complaint and has no line numbers, so the
 * engine asks it only which files hold such lines and numbers them here.
 */
import fs from 'node:fs';
import type { UnreadableLine } from '../engine.js';

export async function invalidUtf8Lines(file: string): Promise<UnreadableLine[]> {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const lenient = new TextDecoder('utf-8');
  const found: UnreadableLine[] = [];
  let line = 1;
  let carry = Buffer.alloc(0);
  const check = (bytes: Buffer): void => {
    try {
      strict.decode(bytes);
    } catch {
      found.push({ file, line, raw: lenient.decode(bytes).replace(/\r+$/, ''), reason: 'invalid unicode' });
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

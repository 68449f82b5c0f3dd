/**
 * Finds where a problem line sits in its landing file. Engines report a bad record by its file
 * and text; the line number that a person needs is recovered here by streaming that one file.
 */
import fs from 'node:fs';
import readline from 'node:readline';

/** 1-based number of the first line of `file` whose text equals `text`, or undefined. */
export async function findLineNumber(file: string, text: string): Promise<number | undefined> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line === text) return n;
    }
  } finally {
    lines.close();
  }
  return undefined;
}

/** First line of `file` that is not valid UTF-8, as 1-based number, or undefined. */
export async function findInvalidUtf8Line(file: string): Promise<number | undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let carry = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file)) {
    const buf = Buffer.concat([carry, chunk as Buffer]);
    let start = 0;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
      try {
        decoder.decode(buf.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
    carry = buf.subarray(start);
  }
  try {
    decoder.decode(carry);
  } catch {
    return line;
  }
  return undefined;
}

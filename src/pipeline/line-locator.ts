/**
 * Finds where bad records sit in their landing files. Engines report a bad record by its file
 * and text; the line numbers a person needs are recovered here by streaming each such file once.
 * Lines end at \n (a trailing \r is not part of the text), as the engines read them.
 */
import fs from 'node:fs';

/**
 * For each text in `texts` (duplicates allowed), the 1-based numbers of the lines of `file` with
 * exactly that text, in file order: the k-th occurrence of a text in `texts` gets the k-th line.
 */
export async function locateLines(file: string, texts: readonly string[]): Promise<Map<string, number[]>> {
  const wanted = new Map<string, number>();
  for (const t of texts) wanted.set(t, (wanted.get(t) ?? 0) + 1);
  const found = new Map<string, number[]>();
  let line = 0;
  let carry = Buffer.alloc(0);
  const visit = (bytes: Buffer): void => {
    line++;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    const text = bytes.toString('utf8', 0, end);
    const left = wanted.get(text);
    if (left) {
      wanted.set(text, left - 1);
      const list = found.get(text) ?? [];
      list.push(line);
      found.set(text, list);
    }
  };
  for await (const chunk of fs.createReadStream(file)) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
      visit(buf.subarray(start, i));
      start = i + 1;
    }
    carry = Buffer.from(buf.subarray(start));
  }
  if (carry.length > 0) visit(carry);
  return found;
}

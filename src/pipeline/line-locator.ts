/**
 * Finds where bad records sit in their landing files. Engines report a bad record by its file
 * and text; the line numbers a person needs are recovered here by streaming each such file once.
 * Lines end at \n (a trailing \r is not part of the text), as the engines read them.
 */
import fs from 'node:fs';

/**
 * Bytes of a line sampled for its fingerprint: enough to tell most lines apart, few enough to be
 * cheap (8 instead of 24 costs about 10 times as many text comparisons, still a few per thousand
 * lines, and makes the scan of a 10M-line source about a third faster).
 */
const SAMPLES = 8;

/**
 * A number from a line's length and a few of its bytes, spread over the line. Equal lines have
 * equal fingerprints; a file's millions of other lines rarely share one with a wanted line, so
 * only those few are decoded and compared as text.
 */
function fingerprint(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  let h = length | 0;
  const step = Math.max(1, Math.floor(length / SAMPLES));
  for (let i = start; i < end; i += step) h = (Math.imul(h, 16777619) ^ (buf[i] as number)) | 0;
  return h;
}

/**
 * For each text in `texts` (duplicates allowed), the 1-based numbers of the lines of `file` with
 * exactly that text, in file order: the k-th occurrence of a text in `texts` gets the k-th line.
 */
export async function locateLines(file: string, texts: readonly string[]): Promise<Map<string, number[]>> {
  const wanted = new Map<string, number>();
  const byFingerprint = new Set<number>();
  for (const t of texts) {
    wanted.set(t, (wanted.get(t) ?? 0) + 1);
    const bytes = Buffer.from(t, 'utf8');
    byFingerprint.add(fingerprint(bytes, 0, bytes.length));
  }
  const found = new Map<string, number[]>();
  let line = 0;
  const visit = (buf: Buffer, start: number, stop: number): void => {
    line++;
    const end = stop > start && buf[stop - 1] === 13 ? stop - 1 : stop;
    if (!byFingerprint.has(fingerprint(buf, start, end))) return;
    const text = buf.toString('utf8', start, end);
    const left = wanted.get(text);
    if (left) {
      wanted.set(text, left - 1);
      const list = found.get(text) ?? [];
      list.push(line);
      found.set(text, list);
    }
  };
  let carry = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
      visit(buf, start, i);
      start = i + 1;
    }
    carry = Buffer.from(buf.subarray(start));
  }
  if (carry.length > 0) visit(carry, 0, carry.length);
  return found;
}

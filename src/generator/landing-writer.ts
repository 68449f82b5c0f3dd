/**
 * Writes JSON lines into one landing folder, starting a new `<source>-<millis>.json` file every
 * `maxLinesPerFile` lines. Lines are gathered into large chunks before they reach the file stream
 * (many tiny writes are slow), and a chunk is only handed over once the stream has drained the
 * previous ones, so memory stays bounded however much is written.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { LakeLayout } from '../lake/layout.js';
import type { LandingSource } from '../lake/tables.js';

export interface LandingWriterOptions {
  readonly maxLinesPerFile: number;
  /** Millis in the first file's name; each next file adds `fileSpacingMs`. */
  readonly firstFileMillis: number;
  readonly fileSpacingMs: number;
  /** Characters gathered before a write to the stream. */
  readonly chunkChars?: number;
}

const DEFAULT_CHUNK_CHARS = 1 << 20;
const MAX_LINES_PER_JOIN = 4096;
const NEWLINE = Buffer.from('\n');

export class LandingWriter {
  private stream: WriteStream | undefined;
  private failure: Error | undefined;
  private buffer = '';
  private linesInFile = 0;
  private readonly chunkChars: number;
  readonly files: string[] = [];
  lines = 0;

  constructor(
    private readonly layout: LakeLayout,
    private readonly source: LandingSource,
    private readonly options: LandingWriterOptions,
  ) {
    this.chunkChars = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
  }

  /**
   * Appends lines (without newline); flushes a chunk when enough has gathered. A line given as bytes
   * is written as is (bad-data injection writes bytes that are not UTF-8).
   */
  async writeLines(lines: readonly (string | Uint8Array)[]): Promise<void> {
    let from = 0;
    while (from < lines.length) {
      if (this.stream === undefined) await this.openNextFile();
      const first = lines[from] as string | Uint8Array;
      if (typeof first !== 'string') {
        await this.flush();
        this.throwIfFailed();
        const stream = this.stream as WriteStream;
        if (!stream.write(Buffer.concat([first, NEWLINE]))) await once(stream, 'drain');
        this.linesInFile += 1;
        this.lines += 1;
        from += 1;
        if (this.linesInFile >= this.options.maxLinesPerFile) await this.closeFile();
        continue;
      }
      // Join lines in batches (one string per batch, not per line), bounded so that a large call
      // (all customer records at once) still reaches the stream chunk by chunk.
      let to = Math.min(lines.length, from + this.options.maxLinesPerFile - this.linesInFile, from + MAX_LINES_PER_JOIN);
      for (let i = from + 1; i < to; i++) {
        if (typeof lines[i] !== 'string') {
          to = i;
          break;
        }
      }
      this.buffer += `${(lines.slice(from, to) as string[]).join('\n')}\n`;
      this.linesInFile += to - from;
      this.lines += to - from;
      from = to;
      if (this.linesInFile >= this.options.maxLinesPerFile) await this.closeFile();
      else if (this.buffer.length >= this.chunkChars) await this.flush();
    }
  }

  /** Ends the current file so the next line starts a new one (e.g. a later export). */
  async startNewFile(): Promise<void> {
    await this.closeFile();
  }

  async close(): Promise<void> {
    await this.closeFile();
  }

  private async openNextFile(): Promise<void> {
    const dir = this.layout.landingDir(this.source);
    await mkdir(dir, { recursive: true });
    const millis = this.options.firstFileMillis + this.files.length * this.options.fileSpacingMs;
    const file = path.join(dir, this.layout.landingFileName(this.source, millis));
    // 'wx': never overwrite; the caller has already checked (or cleared, with --force) the folder.
    const stream = createWriteStream(file, { flags: 'wx' });
    // Remember an asynchronous error instead of crashing on an unhandled 'error' event.
    stream.on('error', (err) => {
      this.failure ??= err;
    });
    this.stream = stream;
    this.files.push(file);
    this.linesInFile = 0;
  }

  private async flush(): Promise<void> {
    const stream = this.stream;
    if (stream === undefined || this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    this.throwIfFailed();
    if (!stream.write(chunk)) await once(stream, 'drain');
    this.throwIfFailed();
  }

  private async closeFile(): Promise<void> {
    const stream = this.stream;
    if (stream === undefined) return;
    await this.flush();
    stream.end();
    await finished(stream);
    this.throwIfFailed();
    this.stream = undefined;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/**
 * The ingest journal: an append-only commit log at `<lake>/_stedi/ingest/journal.jsonl`.
 *
 * Each group commit appends one `commit` entry naming, per temporary landing file, the byte range
 * the group added (with its CRC-32) and the size up to which the file is now complete, together
 * with the idempotency keys of the requests in the group. The data and the entry are written and
 * fsync'd in parallel (one disk round trip instead of two), and requests are answered only when
 * both are durable. Groups are serialized, so after a crash only the last entry can be in doubt:
 * recovery keeps it only if the data it names is on disk intact. Every temporary file is then cut
 * back to its last committed size, so data and idempotency keys are kept or lost together, and
 * nothing that was not acknowledged survives.
 */
import { mkdir, open, readFile, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { LANDING_SOURCES } from '../lake/tables.js';
import { fsyncDirectory, writeFileAtomically } from './fs-durable.js';

const idempotencyRecord = z.object({
  /** `<api key name>:<Idempotency-Key>`: keys are scoped per API key. */
  scope: z.string(),
  /** sha256 of source, mode and body: the same key with another payload is refused. */
  fingerprint: z.string(),
  status: z.number().int(),
  body: z.unknown(),
  at: z.number(),
});
export type IdempotencyRecord = z.infer<typeof idempotencyRecord>;

const committedFile = z.object({
  source: z.enum(LANDING_SOURCES),
  temp: z.string(),
  /** The file is complete up to this size once the entry is valid. */
  size: z.number().int().nonnegative(),
  /** The range this group wrote, [from, size), and its CRC-32; absent in snapshots (written when nothing is in flight). */
  from: z.number().int().nonnegative().optional(),
  crc32: z.number().int().nonnegative().optional(),
});
export type CommittedFile = z.infer<typeof committedFile>;

const journalEntry = z.discriminatedUnion('t', [
  z.object({ t: z.literal('commit'), at: z.number(), files: z.array(committedFile), keys: z.array(idempotencyRecord) }),
  z.object({ t: z.literal('publish'), source: z.enum(LANDING_SOURCES), temp: z.string(), name: z.string() }),
]);
export type JournalEntry = z.infer<typeof journalEntry>;

export interface JournalContents {
  readonly entries: JournalEntry[];
  /** Lines that were not entries: a torn last line after a crash (expected) or damage (reported). */
  readonly skippedLines: number;
}

export class Journal {
  private handle: FileHandle;
  private bytes: number;

  private constructor(
    readonly file: string,
    handle: FileHandle,
    bytes: number,
  ) {
    this.handle = handle;
    this.bytes = bytes;
  }

  static async open(dir: string): Promise<Journal> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'journal.jsonl');
    const handle = await open(file, 'a');
    await fsyncDirectory(dir);
    return new Journal(file, handle, (await stat(file)).size);
  }

  /** Reads whatever a previous process left, tolerating a torn last line. */
  static async read(dir: string): Promise<JournalContents> {
    let text: string;
    try {
      text = await readFile(path.join(dir, 'journal.jsonl'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skippedLines: 0 };
      throw err;
    }
    const lines = text.split('\n');
    // The part after the last newline was never fsync'd as a whole entry, so never acknowledged.
    const torn = lines.pop() ?? '';
    const entries: JournalEntry[] = [];
    let skippedLines = torn === '' ? 0 : 1;
    for (const line of lines) {
      if (line === '') continue;
      const parsed = safeParse(line);
      if (parsed) entries.push(parsed);
      else skippedLines += 1;
    }
    return { entries, skippedLines };
  }

  get size(): number {
    return this.bytes;
  }

  async append(entries: readonly JournalEntry[]): Promise<void> {
    const text = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    // Appending after a torn tail would glue the new entry onto garbage; the torn tail is removed
    // by `replace` on start, so appends always begin on a line boundary.
    await this.handle.write(text);
    await this.handle.datasync();
    this.bytes += Buffer.byteLength(text);
  }

  /** Atomically swaps the whole journal for `entries` (a compacted snapshot). */
  async replace(entries: readonly JournalEntry[]): Promise<void> {
    const text = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    await writeFileAtomically(this.file, text);
    await this.handle.close();
    this.handle = await open(this.file, 'a');
    this.bytes = Buffer.byteLength(text);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

function safeParse(line: string): JournalEntry | undefined {
  try {
    const result = journalEntry.safeParse(JSON.parse(line));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

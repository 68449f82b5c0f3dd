/**
 * Group commit into landing. Requests hand over their validated lines and wait; one loop takes
 * everything that queued up while the previous commit was on disk, appends each source's share
 * to that source's temporary file and one entry to the journal, fsyncs them (in parallel), and
 * answers all of them. Many requests share one write and one fsync per file.
 *
 * After each commit, files past the size or age limit are published under their landing name.
 * Everything touching files runs in that one loop, so appends, rotation and shutdown never race.
 */
import type { FileHandle } from 'node:fs/promises';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { LakeLayout } from '../lake/layout.js';
import type { LandingSource } from '../lake/tables.js';
import { StediError } from '../errors.js';
import type { CommittedFile, IdempotencyRecord, Journal } from './journal.js';
import { createTempLandingFile, publishLandingFile } from './landing-files.js';

export interface WriterEvents {
  commit(requests: number, seconds: number): void;
  bytesWritten(source: LandingSource, bytes: number): void;
  filePublished(source: LandingSource, name: string): void;
}

export interface LandingWriterOptions {
  readonly layout: LakeLayout;
  readonly journal: Journal;
  /** Publish a file once it holds at least this many bytes. */
  readonly rotateBytes: number;
  /** Publish a file once it is this old, even if small, so the pipeline sees data promptly. */
  readonly rotateAgeMs: number;
  /** Rewrite the journal as a snapshot once it grows past this size. */
  readonly compactJournalBytes: number;
  /** The idempotency keys still inside their window, for journal snapshots. */
  readonly liveKeys: () => IdempotencyRecord[];
  readonly events?: WriterEvents;
  readonly now?: () => number;
}

export interface Append {
  readonly source: LandingSource;
  /** NDJSON, every line complete. */
  readonly lines: string;
  readonly idempotency?: IdempotencyRecord;
}

interface Waiting extends Append {
  resolve(): void;
  reject(err: unknown): void;
}

interface OpenFile {
  readonly temp: string;
  readonly handle: FileHandle;
  readonly openedAt: number;
  size: number;
}

export class LandingWriter {
  private readonly options: LandingWriterOptions;
  private readonly now: () => number;
  private queue: Waiting[] = [];
  private readonly open = new Map<LandingSource, OpenFile>();
  private loop: Promise<void> | undefined;
  private lastPublishedMillis = 0;
  private failure: StediError | undefined;
  private closing = false;
  private readonly ageTimer: NodeJS.Timeout;

  constructor(options: LandingWriterOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.ageTimer = setInterval(() => this.kick(), Math.max(50, Math.min(1000, options.rotateAgeMs / 4)));
    this.ageTimer.unref();
  }

  /** True while appends are taken: not closing and no storage failure. */
  get healthy(): boolean {
    return !this.closing && this.failure === undefined;
  }

  /** Resolves once the lines (and idempotency key) are fsync'd and committed. */
  append(append: Append): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new StediError('USAGE', 'the landing writer is closing'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...append, resolve, reject });
      this.kick();
    });
  }

  /** Commits what is queued, publishes every open file and stops. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.ageTimer);
    while (this.loop) await this.loop;
    if (this.failure !== undefined) return;
    for (const source of [...this.open.keys()]) await this.publish(source);
  }

  private kick(): void {
    if (this.loop || this.failure !== undefined) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async run(): Promise<void> {
    try {
      do {
        const group = this.queue;
        this.queue = [];
        if (group.length > 0) await this.commit(group);
        // Checked after every commit, not when the queue drains: under steady load it never does.
        await this.rotateDueFiles();
        if (this.options.journal.size > this.options.compactJournalBytes) await this.compactJournal();
      } while (this.queue.length > 0);
    } catch (err) {
      // A failed write or fsync leaves the disk in an unknown state: stop taking data and let a
      // restart's recovery cut every file back to its last commit.
      this.failure = new StediError('UNREADABLE_FILE', 'writing the landing zone failed; restart the service to recover', {
        cause: err,
      });
      for (const waiting of this.queue.splice(0)) waiting.reject(this.failure);
    }
  }

  private async commit(group: Waiting[]): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      const bySource = new Map<LandingSource, string[]>();
      for (const w of group) {
        const chunks = bySource.get(w.source);
        if (chunks) chunks.push(w.lines);
        else bySource.set(w.source, [w.lines]);
      }
      const writes = await Promise.all(
        [...bySource].map(async ([source, chunks]) => ({ file: await this.openFile(source), data: Buffer.from(chunks.join('')), source })),
      );
      const files: CommittedFile[] = writes.map(({ source, file, data }) => ({
        source,
        temp: file.temp,
        size: file.size + data.length,
        from: file.size,
        crc32: crc32(data),
      }));
      const keys = group.flatMap((w) => (w.idempotency ? [w.idempotency] : []));
      // Data and commit entry go to disk in parallel; the answer waits for both (see journal.ts).
      await Promise.all([
        ...writes.map(async ({ source, file, data }) => {
          await file.handle.write(data, 0, data.length, file.size);
          await file.handle.datasync();
          this.options.events?.bytesWritten(source, data.length);
        }),
        this.options.journal.append([{ t: 'commit', at: this.now(), files, keys }]),
      ]);
      for (const f of files) (this.open.get(f.source) as OpenFile).size = f.size;
    } catch (err) {
      for (const w of group) w.reject(err);
      throw err;
    }
    for (const w of group) w.resolve();
    this.options.events?.commit(group.length, Number(process.hrtime.bigint() - started) / 1e9);
  }

  private async openFile(source: LandingSource): Promise<OpenFile> {
    const existing = this.open.get(source);
    if (existing) return existing;
    const dir = this.options.layout.landingDir(source);
    await mkdir(dir, { recursive: true });
    const { name, handle } = await createTempLandingFile(dir, this.now());
    const file: OpenFile = { temp: name, handle, openedAt: this.now(), size: 0 };
    this.open.set(source, file);
    return file;
  }

  private async rotateDueFiles(): Promise<void> {
    const now = this.now();
    for (const [source, file] of [...this.open]) {
      if (file.size >= this.options.rotateBytes || now - file.openedAt >= this.options.rotateAgeMs) {
        await this.publish(source);
      }
    }
  }

  private async publish(source: LandingSource): Promise<void> {
    const file = this.open.get(source);
    if (!file) return;
    this.open.delete(source);
    await file.handle.close();
    const { layout, journal } = this.options;
    if (file.size === 0) {
      await unlink(path.join(layout.landingDir(source), file.temp));
      return;
    }
    const { name, millis } = await publishLandingFile(layout, source, file.temp, this.now(), this.lastPublishedMillis);
    this.lastPublishedMillis = millis;
    await journal.append([{ t: 'publish', source, temp: file.temp, name }]);
    this.options.events?.filePublished(source, name);
  }

  private async compactJournal(): Promise<void> {
    const files = [...this.open].map(([source, f]) => ({ source, temp: f.temp, size: f.size }));
    await this.options.journal.replace([{ t: 'commit', at: this.now(), files, keys: this.options.liveKeys() }]);
  }
}

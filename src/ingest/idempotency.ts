/**
 * Idempotent retries. A client may send `Idempotency-Key`; the first request with a key (per API
 * key) is stored and its answer remembered, in memory and in the journal entry of the same group
 * commit, for a window (24 h by default). A retry inside the window gets the remembered answer and
 * stores nothing; a retry while the first is still in flight waits for it. Reusing a key for a
 * different payload is refused, because answering it with another batch's result would hide data.
 */
import { createHash } from 'node:crypto';
import type { IdempotencyRecord } from './journal.js';

export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Visible ASCII, as in the IETF Idempotency-Key draft; long enough for UUIDs and ULIDs with prefixes. */
const KEY_SYNTAX = /^[\x21-\x7e]{1,255}$/;

export function isValidIdempotencyKey(key: string): boolean {
  return KEY_SYNTAX.test(key);
}

export function idempotencyScope(apiKeyName: string, idempotencyKey: string): string {
  return `${apiKeyName}:${idempotencyKey}`;
}

export function payloadFingerprint(source: string, atomic: boolean, body: string): string {
  return createHash('sha256').update(`${source}\n${atomic ? 'atomic' : 'partial'}\n`).update(body).digest('hex');
}

export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type Lookup =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly answer: StoredAnswer }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in_flight'; readonly settled: Promise<void> };

export class IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly inFlight = new Map<string, { fingerprint: string; settled: Promise<void> }>();

  constructor(
    readonly windowMs: number = DEFAULT_IDEMPOTENCY_WINDOW_MS,
    private readonly now: () => number = Date.now,
    recovered: readonly IdempotencyRecord[] = [],
  ) {
    for (const r of recovered) this.records.set(r.scope, r);
  }

  lookup(scope: string, fingerprint: string): Lookup {
    const record = this.records.get(scope);
    if (record && this.now() - record.at >= this.windowMs) this.records.delete(scope);
    else if (record) {
      return record.fingerprint === fingerprint
        ? { kind: 'replay', answer: { status: record.status, body: record.body } }
        : { kind: 'mismatch' };
    }
    const pending = this.inFlight.get(scope);
    if (pending) return pending.fingerprint === fingerprint ? { kind: 'in_flight', settled: pending.settled } : { kind: 'mismatch' };
    return { kind: 'new' };
  }

  /** Marks `scope` as being processed until `work` settles, so concurrent retries wait for it. */
  track(scope: string, fingerprint: string, work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(scope, { fingerprint, settled });
    void settled.then(() => this.inFlight.delete(scope));
  }

  /** Called once the record is committed with the data. */
  remember(record: IdempotencyRecord): void {
    this.records.set(record.scope, record);
  }

  /** Records still inside the window (what a journal snapshot keeps). */
  live(): IdempotencyRecord[] {
    const now = this.now();
    const live: IdempotencyRecord[] = [];
    for (const [scope, record] of this.records) {
      if (now - record.at < this.windowMs) live.push(record);
      else this.records.delete(scope);
    }
    return live;
  }
}

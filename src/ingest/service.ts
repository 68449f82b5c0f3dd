/**
 * The ingestion service as a whole: recover the landing zone, open the journal and the writer,
 * build the HTTP app, and shut all of it down in order (stop taking requests, finish the ones in
 * flight, commit and publish every file, close the journal).
 */
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { StediError } from '../errors.js';
import { LakeLayout } from '../lake/layout.js';
import { KeyRing, readKeysFile } from './api-keys.js';
import { IdempotencyStore } from './idempotency.js';
import { Journal } from './journal.js';
import { LandingWriter } from './landing-writer.js';
import { IngestMetrics } from './metrics.js';
import { RateLimiter } from './rate-limit.js';
import { ingestMetaDir, recoverLanding, type RecoveryReport } from './recovery.js';
import { acquireServeLock } from './serve-lock.js';
import { buildIngestApp } from './server.js';
import type { IngestServiceOptions } from './service-options.js';

export { DEFAULT_SERVICE_OPTIONS, type IngestServiceOptions } from './service-options.js';

/** How long shutdown waits for requests in flight before closing their connections. */
export const SHUTDOWN_GRACE_MS = 30_000;

export interface IngestService {
  readonly app: FastifyInstance;
  readonly writer: LandingWriter;
  readonly metrics: IngestMetrics;
  readonly recovery: RecoveryReport;
  /** Re-reads the keys file now (also done when it changes on disk). */
  reloadKeys(): Promise<void>;
  close(): Promise<void>;
}

export async function openIngestService(options: IngestServiceOptions): Promise<IngestService> {
  const layout = new LakeLayout(options.lake);
  const lakeStat = await stat(layout.root).catch(() => undefined);
  if (!lakeStat?.isDirectory()) {
    throw new StediError('LAKE_MISSING', `lake folder ${layout.root} does not exist`, { hint: 'create it or pass --lake' });
  }
  let keyRing = new KeyRing(await readKeysFile(options.keysFile, { missingIsEmpty: false }));
  let keysVersion = await keysFileVersion(options.keysFile);

  const releaseLock = await acquireServeLock(ingestMetaDir(layout), layout.root);
  let recovery: RecoveryReport;
  try {
    recovery = await recoverLanding(layout, options.idempotencyWindowMs, Date.now());
  } catch (err) {
    await releaseLock();
    throw err;
  }
  const idempotency = new IdempotencyStore(options.idempotencyWindowMs, Date.now, recovery.keys);
  const journal = await Journal.open(ingestMetaDir(layout));
  const metrics = new IngestMetrics({ processMetrics: options.processMetrics });
  const writer = new LandingWriter({
    layout,
    journal,
    rotateBytes: options.rotateBytes,
    rotateAgeMs: options.rotateAgeMs,
    compactJournalBytes: options.compactJournalBytes,
    liveKeys: () => idempotency.live(),
    events: metrics.writerEvents(),
  });

  let closing = false;
  const notReadyReason = (): string | undefined => {
    if (closing) return 'shutting down';
    if (!writer.healthy) return 'landing writer failed; restart to recover';
    return undefined;
  };
  const app = buildIngestApp({
    keyRing: () => keyRing,
    limiter: new RateLimiter(options.ratePerSecond, options.rateBurst),
    ready: () => notReadyReason() === undefined,
    notReadyReason,
    writer,
    idempotency,
    metrics,
    maxRecords: options.maxRecords,
    maxBodyBytes: options.maxBodyBytes,
    logger: options.logger,
    now: Date.now,
  });
  if (keyRing.size === 0) app.log.warn('the keys file holds no active key: every request will be refused');
  app.log.info(
    { published: recovery.published.length, removed: recovery.removed.length, truncatedBytes: recovery.truncatedBytes, keys: recovery.keys.length },
    'landing recovered',
  );

  const reloadKeys = async (): Promise<void> => {
    try {
      const version = await keysFileVersion(options.keysFile);
      keyRing = new KeyRing(await readKeysFile(options.keysFile, { missingIsEmpty: false }));
      keysVersion = version;
      app.log.info({ activeKeys: keyRing.size }, 'keys reloaded');
    } catch (err) {
      // Keep serving with the keys we have rather than lock every client out over a bad edit.
      app.log.error({ err }, 'keys file could not be reloaded; keeping the previous keys');
    }
  };
  const keysTimer = setInterval(() => {
    void keysFileVersion(options.keysFile).then((v) => (v !== keysVersion ? reloadKeys() : undefined));
  }, options.keysReloadMs);
  keysTimer.unref();

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      closing = true;
      clearInterval(keysTimer);
      // In-flight batches get a grace period; a client still trickling a body after it is cut off
      // (its batch was never acknowledged, so nothing promised is lost).
      const deadline = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      deadline.unref();
      await app.close();
      clearTimeout(deadline);
      await writer.close();
      await journal.close();
      await releaseLock();
      app.log.info('ingestion service stopped; all files published');
    })());
  return { app, writer, metrics, recovery, reloadKeys, close };
}

async function keysFileVersion(file: string): Promise<string> {
  const s = await stat(file).catch(() => undefined);
  return s ? `${s.mtimeMs}:${s.size}:${s.ino}` : 'missing';
}

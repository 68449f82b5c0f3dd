/**
 * The ingestion service's options and their defaults, apart from the service itself so that the
 * CLI can show the defaults without loading the HTTP stack (Fastify, metrics) for other commands.
 */
import type { FastifyServerOptions } from 'fastify';
import { DEFAULT_IDEMPOTENCY_WINDOW_MS } from './idempotency.js';

export interface IngestServiceOptions {
  readonly lake: string;
  readonly keysFile: string;
  readonly rotateBytes: number;
  readonly rotateAgeMs: number;
  readonly idempotencyWindowMs: number;
  readonly maxBodyBytes: number;
  readonly maxRecords: number;
  readonly ratePerSecond: number;
  readonly rateBurst: number;
  readonly compactJournalBytes: number;
  readonly logger: FastifyServerOptions['logger'];
  /** Prometheus process metrics (CPU, memory, event loop); off in tests that start many services. */
  readonly processMetrics: boolean;
  /** How often the keys file is checked for changes (added or revoked keys apply without restart). */
  readonly keysReloadMs: number;
}

export const DEFAULT_SERVICE_OPTIONS: Omit<IngestServiceOptions, 'lake' | 'keysFile'> = {
  rotateBytes: 64 * 1024 * 1024,
  rotateAgeMs: 60_000,
  idempotencyWindowMs: DEFAULT_IDEMPOTENCY_WINDOW_MS,
  maxBodyBytes: 16 * 1024 * 1024,
  maxRecords: 10_000,
  ratePerSecond: 1000,
  rateBurst: 2000,
  compactJournalBytes: 64 * 1024 * 1024,
  logger: { level: 'info' },
  processMetrics: true,
  keysReloadMs: 1000,
};


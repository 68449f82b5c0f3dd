/**
 * Prometheus metrics of the ingestion service, in a registry of its own (so tests and several
 * servers in one process do not share counters). Labels are bounded: sources and rule names are
 * fixed lists, status codes a handful; nothing from a request body or key becomes a label.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { LandingSource } from '../lake/tables.js';
import type { WriterEvents } from './landing-writer.js';

export class IngestMetrics {
  readonly registry = new Registry();
  readonly recordsAccepted = new Counter({
    name: 'stedi_ingest_records_accepted_total',
    help: 'Records committed to landing, per source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly recordsRejected = new Counter({
    name: 'stedi_ingest_records_rejected_total',
    help: 'Records refused, per source and contract rule (or atomic_batch when refused with an atomic batch)',
    labelNames: ['source', 'reason'] as const,
    registers: [this.registry],
  });
  readonly recordWarnings = new Counter({
    name: 'stedi_ingest_record_warnings_total',
    help: 'Warnings raised by accepted records, per source and rule (the records are stored)',
    labelNames: ['source', 'rule'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'stedi_ingest_request_duration_seconds',
    help: 'Time from request received to response sent',
    labelNames: ['route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly bytesWritten = new Counter({
    name: 'stedi_ingest_bytes_written_total',
    help: 'Bytes appended to landing files, per source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly filesPublished = new Counter({
    name: 'stedi_ingest_files_published_total',
    help: 'Landing files published (renamed to their landing name), per source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly groupCommitRequests = new Histogram({
    name: 'stedi_ingest_group_commit_requests',
    help: 'Requests sharing one group commit (one write and fsync per source plus one journal fsync)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });
  readonly groupCommitDuration = new Histogram({
    name: 'stedi_ingest_group_commit_duration_seconds',
    help: 'Time to write and fsync one group commit',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });
  readonly idempotentReplays = new Counter({
    name: 'stedi_ingest_idempotent_replays_total',
    help: 'Requests answered from the idempotency store instead of being stored again',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics: boolean } = { processMetrics: true }) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  writerEvents(): WriterEvents {
    return {
      commit: (requests, seconds) => {
        this.groupCommitRequests.observe(requests);
        this.groupCommitDuration.observe(seconds);
      },
      bytesWritten: (source: LandingSource, bytes) => this.bytesWritten.inc({ source }, bytes),
      filePublished: (source: LandingSource) => this.filesPublished.inc({ source }),
    };
  }
}

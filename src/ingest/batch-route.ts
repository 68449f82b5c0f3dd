/**
 * `POST /v1/<source>`: validate a batch, commit the valid records, answer per record.
 *
 * Default (partial success): valid records are stored even when others are not; the answer is
 * 200 when all were accepted, 207 when some were, 422 when none were. With `?atomic=true` the
 * batch is all-or-nothing: any invalid record means 422 and nothing stored. Either way the
 * answer lists every rejected record by index, field and rule. A 2xx is sent only after the
 * accepted records are fsync'd and committed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LandingSource } from '../lake/tables.js';
import type { AccessDeps } from './access.js';
import { accessCheck } from './access.js';
import { checkBatch, parseBatch, UnreadableBatch, type CheckedBatch, type Rejection, type Warning } from './batch.js';
import { sendError } from './http-errors.js';
import { idempotencyScope, isValidIdempotencyKey, payloadFingerprint, type IdempotencyStore, type StoredAnswer } from './idempotency.js';
import type { IdempotencyRecord } from './journal.js';
import type { LandingWriter } from './landing-writer.js';
import type { IngestMetrics } from './metrics.js';

export interface BatchAnswer {
  readonly source: LandingSource;
  readonly atomic: boolean;
  readonly received: number;
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly Warning[];
}

export interface BatchRouteDeps extends AccessDeps {
  readonly writer: LandingWriter;
  readonly idempotency: IdempotencyStore;
  readonly metrics: IngestMetrics;
  readonly maxRecords: number;
  readonly now: () => number;
}

export function registerBatchRoute(app: FastifyInstance, deps: BatchRouteDeps, source: LandingSource): void {
  // The path comes from the fixed list of sources, never from the request.
  app.post(`/v1/${source}`, { onRequest: accessCheck(deps, source) }, (request, reply) => handleBatch(deps, source, request, reply));
}

async function handleBatch(deps: BatchRouteDeps, source: LandingSource, request: FastifyRequest, reply: FastifyReply) {
  const body = typeof request.body === 'string' ? request.body : '';
  const atomic = isTrue((request.query as Record<string, unknown> | undefined)?.atomic);
  const keyName = request.apiKey?.name ?? '';

  const idempotencyHeader = request.headers['idempotency-key'];
  let scope: string | undefined;
  let fingerprint = '';
  if (idempotencyHeader !== undefined) {
    if (typeof idempotencyHeader !== 'string' || !isValidIdempotencyKey(idempotencyHeader)) {
      return sendError(reply, 400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    scope = idempotencyScope(keyName, idempotencyHeader);
    fingerprint = payloadFingerprint(source, atomic, body);
    for (;;) {
      const found = deps.idempotency.lookup(scope, fingerprint);
      if (found.kind === 'replay') {
        deps.metrics.idempotentReplays.inc({ source });
        request.log.info({ source, key: keyName, status: found.answer.status, replayed: true }, 'batch replayed');
        return reply.header('idempotency-replayed', 'true').code(found.answer.status).send(found.answer.body);
      }
      if (found.kind === 'mismatch') {
        return sendError(reply, 422, 'idempotency_key_reused', 'this Idempotency-Key was already used for a different batch');
      }
      if (found.kind === 'new') break;
      await found.settled;
    }
    reply.header('idempotency-replayed', 'false');
  }

  let checked: CheckedBatch;
  try {
    const format = request.headers['content-type']?.startsWith('application/x-ndjson') ? 'ndjson' : 'json_array';
    const records = parseBatch(format, body);
    if (records.length === 0) return sendError(reply, 400, 'empty_batch', 'the batch holds no records');
    if (records.length > deps.maxRecords) {
      return sendError(reply, 413, 'too_many_records', `a batch may hold at most ${deps.maxRecords} records`);
    }
    checked = checkBatch(source, records, deps.now());
  } catch (err) {
    if (err instanceof UnreadableBatch) {
      return sendError(reply, 400, err.message.startsWith('a JSON body') ? 'not_a_batch' : 'invalid_json', err.message);
    }
    throw err;
  }

  for (const r of checked.rejected) deps.metrics.recordsRejected.inc({ source, reason: r.rule });
  const refuseAll = checked.accepted === 0 || (atomic && checked.rejected.length > 0);
  if (refuseAll) {
    if (checked.accepted > 0) deps.metrics.recordsRejected.inc({ source, reason: 'atomic_batch' }, checked.accepted);
    const answer: BatchAnswer = { source, atomic, received: checked.received, accepted: 0, rejected: checked.rejected, warnings: [] };
    request.log.info({ source, key: keyName, status: 422, accepted: 0, rejected: checked.rejected.length }, 'batch refused');
    return reply.code(422).send(answer);
  }

  const answer: StoredAnswer = {
    status: checked.rejected.length === 0 ? 200 : 207,
    body: {
      source,
      atomic,
      received: checked.received,
      accepted: checked.accepted,
      rejected: checked.rejected,
      warnings: checked.warnings,
    } satisfies BatchAnswer,
  };
  const record: IdempotencyRecord | undefined = scope === undefined ? undefined : { scope, fingerprint, ...answer, at: deps.now() };
  const committed = deps.writer.append({ source, lines: checked.lines, idempotency: record }).then(() => {
    if (record) deps.idempotency.remember(record);
  });
  // No await between the lookup above and this: a concurrent retry either sees this batch in flight or its record.
  if (scope !== undefined) deps.idempotency.track(scope, fingerprint, committed);
  try {
    await committed;
  } catch (err) {
    request.log.error({ err, source, key: keyName }, 'commit failed');
    return sendError(reply, 500, 'storage_failed', 'the records could not be stored; retry with the same Idempotency-Key');
  }
  deps.metrics.recordsAccepted.inc({ source }, checked.accepted);
  for (const w of checked.warnings) deps.metrics.recordWarnings.inc({ source, rule: w.rule });
  request.log.info({ source, key: keyName, status: answer.status, accepted: checked.accepted, rejected: checked.rejected.length }, 'batch stored');
  return reply.code(answer.status).send(answer.body);
}

function isTrue(value: unknown): boolean {
  return value === 'true' || value === '1' || value === '';
}

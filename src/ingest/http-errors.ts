/** The one shape of every error answer: `{ "error": { "code", "message" } }`, codes stable for clients. */
import type { FastifyReply } from 'fastify';

export type ErrorAnswerCode =
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'not_ready'
  | 'empty_batch'
  | 'invalid_json'
  | 'not_a_batch'
  | 'too_many_records'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'invalid_idempotency_key'
  | 'idempotency_key_reused'
  | 'not_found'
  | 'bad_request'
  | 'storage_failed'
  | 'internal';

export interface ErrorAnswer {
  readonly error: { readonly code: ErrorAnswerCode; readonly message: string };
}

export function sendError(reply: FastifyReply, status: number, code: ErrorAnswerCode, message: string): FastifyReply {
  const body: ErrorAnswer = { error: { code, message } };
  return reply.code(status).send(body);
}

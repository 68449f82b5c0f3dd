/**
 * Who may write what, checked before the body is read: a valid API key (401), a scope covering the
 * source (403), the key's rate (429 with Retry-After), and a service able to take data (503).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LandingSource } from '../lake/tables.js';
import type { ApiKey, KeyRing } from './api-keys.js';
import { sendError } from './http-errors.js';
import type { RateLimiter } from './rate-limit.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access check on ingestion routes. */
    apiKey: ApiKey | null;
  }
}

export interface AccessDeps {
  readonly keyRing: () => KeyRing;
  readonly limiter: RateLimiter;
  readonly ready: () => boolean;
}

/** The key from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

export function accessCheck(deps: AccessDeps, source: LandingSource) {
  // Answering from an async hook ends the request only when the hook returns the reply.
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const presented = presentedKey(request);
    const apiKey = presented === undefined ? undefined : deps.keyRing().authenticate(presented);
    if (!apiKey) {
      reply.header('www-authenticate', 'Bearer');
      return sendError(reply, 401, 'unauthorized', 'a valid API key is required (Authorization: Bearer <key> or X-API-Key)');
    }
    if (!apiKey.scopes.has(source)) {
      return sendError(reply, 403, 'forbidden', `this API key may not write ${source}`);
    }
    const decision = deps.limiter.take(apiKey.name);
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.retryAfterSeconds));
      return sendError(reply, 429, 'rate_limited', 'request rate limit for this API key exceeded');
    }
    if (!deps.ready()) {
      reply.header('retry-after', '1');
      return sendError(reply, 503, 'not_ready', 'the service is not taking data right now');
    }
    request.apiKey = apiKey;
    return undefined;
  };
}

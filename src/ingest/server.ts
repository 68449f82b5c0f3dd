/**
 * The Fastify application of the ingestion service: body parsing, the three batch routes, the
 * operational routes, and error answers in one shape. It holds no file handles itself; the
 * service (service.ts) wires it to a landing writer and owns start and shutdown.
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { LANDING_SOURCES } from '../lake/tables.js';
import { registerBatchRoute, type BatchRouteDeps } from './batch-route.js';
import { sendError, type ErrorAnswerCode } from './http-errors.js';

export interface IngestAppOptions extends BatchRouteDeps {
  readonly maxBodyBytes: number;
  readonly logger: FastifyServerOptions['logger'];
  /** Why the service is not ready, or undefined when it is. */
  readonly notReadyReason: () => string | undefined;
}

export const NDJSON = 'application/x-ndjson';

export function buildIngestApp(options: IngestAppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.maxBodyBytes,
    // One summary line per batch is logged by the route; Fastify's own request lines add nothing.
    logController: new LogController({ disableRequestLogging: true }),
    // While shutting down, new requests on kept-alive connections are told to come back later.
    return503OnClosing: true,
  });
  app.decorateRequest('apiKey', null);

  // Bodies are kept as text: the batch parser decides per format, and a JSON array is parsed once.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', NDJSON], { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });

  app.addHook('onResponse', async (request, reply) => {
    options.metrics.requestDuration.observe(
      { route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // While shutting down, answers close their connection so kept-alive clients do not hold the exit.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (options.notReadyReason() !== undefined) reply.header('connection', 'close');
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, 500, 'internal', 'internal error');
    }
    return sendError(reply, status, errorCodeFor(error), error.message);
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found', 'no such endpoint'));

  for (const source of LANDING_SOURCES) registerBatchRoute(app, options, source);

  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const reason = options.notReadyReason();
    return reason === undefined ? { status: 'ready' } : reply.code(503).send({ status: 'not_ready', reason });
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(text);
  });
  return app;
}

function errorCodeFor(error: FastifyError): ErrorAnswerCode {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return error.statusCode === 415 ? 'unsupported_media_type' : 'bad_request';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'empty_batch';
    default:
      return 'bad_request';
  }
}

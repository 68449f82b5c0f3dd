/**
 * `stedi serve`: run the ingestion service until SIGTERM or SIGINT, then shut down gracefully
 * (finish in-flight batches, publish every landing file). SIGHUP re-reads the keys file.
 */
import type { Command } from 'commander';
import { StediError } from '../../errors.js';
import { DEFAULT_SERVICE_OPTIONS } from '../../ingest/service-options.js';

interface ServeOptions {
  lake: string;
  keys: string;
  port: string;
  host: string;
  rotateMb: string;
  rotateSeconds: string;
  idempotencyHours: string;
  maxBodyMb: string;
  maxRecords: string;
  rateLimit: string;
  burst?: string;
  logLevel: string;
}

const d = DEFAULT_SERVICE_OPTIONS;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the ingestion HTTP service that writes the landing zone (API keys, group commit, idempotent retries)')
    .requiredOption('--lake <dir>', 'lake folder')
    .requiredOption('--keys <file>', 'API keys file (see `stedi keys add`)')
    .option('--port <port>', 'TCP port (0 = any free port)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--rotate-mb <mb>', 'publish a landing file once it reaches this size', String(d.rotateBytes / 1024 / 1024))
    .option('--rotate-seconds <s>', 'publish a landing file once it is this old', String(d.rotateAgeMs / 1000))
    .option('--idempotency-hours <h>', 'how long Idempotency-Key answers are remembered', String(d.idempotencyWindowMs / 3_600_000))
    .option('--max-body-mb <mb>', 'largest request body accepted (413 above)', String(d.maxBodyBytes / 1024 / 1024))
    .option('--max-records <n>', 'most records in one batch (413 above)', String(d.maxRecords))
    .option('--rate-limit <n>', 'requests per second per API key (429 above)', String(d.ratePerSecond))
    .option('--burst <n>', 'requests a key may send at once before the rate applies (default: 2 x rate)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'info')
    .action(async (options: ServeOptions) => {
      const rate = positive('--rate-limit', options.rateLimit);
      const port = Math.floor(Number(options.port));
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StediError('USAGE', `--port must be 0..65535, got ${options.port}`);
      // Loaded here, not at start-up: the HTTP stack costs every other command a tenth of a second.
      const { openIngestService } = await import('../../ingest/service.js');
      const service = await openIngestService({
        ...d,
        lake: options.lake,
        keysFile: options.keys,
        rotateBytes: Math.round(positive('--rotate-mb', options.rotateMb) * 1024 * 1024),
        rotateAgeMs: Math.round(positive('--rotate-seconds', options.rotateSeconds) * 1000),
        idempotencyWindowMs: Math.round(positive('--idempotency-hours', options.idempotencyHours) * 3_600_000),
        maxBodyBytes: Math.round(positive('--max-body-mb', options.maxBodyMb) * 1024 * 1024),
        maxRecords: Math.floor(positive('--max-records', options.maxRecords)),
        ratePerSecond: rate,
        rateBurst: options.burst === undefined ? 2 * rate : positive('--burst', options.burst),
        logger: { level: options.logLevel },
      });
      const stopped = new Promise<void>((resolve, reject) => {
        const stop = (signal: NodeJS.Signals): void => {
          service.app.log.info({ signal }, 'shutting down');
          service.close().then(resolve, reject);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        process.on('SIGHUP', () => void service.reloadKeys());
      });
      let url: string;
      try {
        url = await service.app.listen({ port, host: options.host });
      } catch (err) {
        await service.close();
        throw err;
      }
      // One line scripts and tests can wait for; printed even when logs are silenced.
      process.stdout.write(`${JSON.stringify({ msg: 'stedi serve ready', url })}\n`);
      await stopped;
    });
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new StediError('USAGE', `${flag} must be a positive number, got "${text}"`);
  return value;
}

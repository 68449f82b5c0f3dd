/**
 * `node dist/trino-server/cli.js start|stop|status [--port N] [--timeout SECONDS]`
 * (npm run trino:start / trino:stop / trino:status).
 *
 * Exit codes: 0 success (status: running and ready), 1 failure, 2 usage error,
 * 3 status: not running. The URL is the only thing printed on stdout by `start`, so scripts can
 * capture it: `STEDI_TRINO_URL=$(npm run --silent trino:start)`.
 */
import { parseArgs } from 'node:util';
import { describeError, StediError } from '../errors.js';
import { resolveSettings, TRINO_VERSION } from './config.js';
import { serverStatus, startServer, stopServer, TrinoStartError } from './launcher.js';

/** True while a line of progress dots is open on stderr (an error must start on a new line). */
let dotsOpen = false;

const USAGE = 'usage: trino-server start|stop|status [--port N] [--timeout SECONDS]';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0];
  if (values.help || !command || positionals.length > 1) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const settings = resolveSettings(values.port === undefined ? {} : { port: values.port });
  const err = (msg: string) => process.stderr.write(`${msg}\n`);

  switch (command) {
    case 'start': {
      const timeoutSec = values.timeout === undefined ? 300 : Number(values.timeout);
      if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) throw new StediError('USAGE', `--timeout must be a positive number of seconds`);
      const r = await startServer(settings, {
        timeoutMs: timeoutSec * 1000,
        log: (msg) => err(`trino: ${msg}`),
        tick: () => {
          dotsOpen = true;
          process.stderr.write('.');
        },
      });
      if (dotsOpen) process.stderr.write('\n');
      dotsOpen = false;
      err(
        r.alreadyRunning
          ? `trino: already running (pid ${r.pid})${r.url.endsWith(`:${settings.port}`) ? '' : ` on another port than ${settings.port}`}`
          : `trino: Trino ${TRINO_VERSION} ready in ${r.seconds.toFixed(1)}s (pid ${r.pid}, catalog "lake", fs root ${settings.fsRoot})`,
      );
      process.stdout.write(`${r.url}\n`);
      return 0;
    }
    case 'stop': {
      const r = await stopServer(settings);
      err(r.wasRunning ? `trino: stopped (pid ${r.pid})` : 'trino: not running');
      return 0;
    }
    case 'status': {
      const r = await serverStatus(settings);
      if (!r.running) {
        err(`trino: not running (${r.provisioned ? 'provisioned' : 'not provisioned yet'} in ${r.home})`);
        return 3;
      }
      const state = r.ready ? 'ready' : r.info ? 'starting' : 'not answering';
      err(`trino: running, ${state} (pid ${r.pid}, version ${r.info?.version ?? '?'}, uptime ${r.info?.uptime ?? '?'})`);
      process.stdout.write(`${r.url}\n`);
      return r.ready ? 0 : 1;
    }
    default:
      err(USAGE);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (dotsOpen) process.stderr.write('\n');
  process.stderr.write(`trino: ${describeError(e)}\n`);
  if (e instanceof TrinoStartError && e.logTail.length > 0) {
    process.stderr.write(`--- last lines of the server log ---\n${e.logTail.map((l) => `  ${l}`).join('\n')}\n`);
  }
  process.exitCode = e instanceof StediError && e.code === 'USAGE' ? 2 : 1;
}

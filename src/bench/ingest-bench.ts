/**
 * Load benchmark of the ingestion service, on loopback only and bounded in time. The server runs
 * as the real CLI in a child process (`stedi serve`, fsync on every group commit); this process is
 * the load generator: concurrent keep-alive HTTP clients posting pre-built NDJSON batches of
 * accelerometer readings. Per case it reports sustained records/s and request latency p50/p99,
 * and the section `ingest` of bench/RESULTS.md.
 *
 * Run: `npm run bench:ingest` (or `node dist/bench/ingest-bench.js --seconds 10`).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addApiKey } from '../ingest/api-keys.js';
import { replaceSection } from './results-file.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface IngestBenchCase {
  readonly batchSize: number;
  readonly concurrency: number;
}

export interface IngestBenchResult extends IngestBenchCase {
  readonly seconds: number;
  readonly requests: number;
  readonly records: number;
  readonly failures: number;
  readonly recordsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** 1-minute load average when the case started: other work on the machine skews the numbers. */
  readonly loadAverage: number;
}

/** Batches of 1,000 twice: 4 clients (latency target) and 8 (saturation: more throughput, more queueing). */
export const DEFAULT_CASES: readonly IngestBenchCase[] = [
  { batchSize: 1, concurrency: 64 },
  { batchSize: 100, concurrency: 16 },
  { batchSize: 1000, concurrency: 4 },
  { batchSize: 1000, concurrency: 8 },
];

export async function runIngestBench(options: { seconds: number; cases?: readonly IngestBenchCase[] }): Promise<IngestBenchResult[]> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'stedi-ingest-bench-'));
  const lake = path.join(root, 'lake');
  await mkdir(lake);
  const keysFile = path.join(root, 'keys.json');
  const key = await addApiKey(keysFile, 'bench', ['accelerometer']);
  const server = await startServer(lake, keysFile);
  try {
    const results: IngestBenchResult[] = [];
    for (const c of options.cases ?? DEFAULT_CASES) {
      const bodies = Array.from({ length: 16 }, (_, i) => Buffer.from(readings(c.batchSize, i)));
      await drive(server.port, key, c, bodies, Math.min(2, options.seconds / 2)); // warm-up, not counted
      results.push(await drive(server.port, key, c, bodies, options.seconds));
    }
    return results;
  } finally {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

/** NDJSON of `count` realistic readings (~90 bytes each), distinct per body. */
function readings(count: number, seed: number): string {
  const start = Date.now() - 60_000;
  let text = '';
  for (let i = 0; i < count; i++) {
    const reading = { user: `Subject.${seed}.${i % 97}@test.com`, timestamp: start + i, x: (i % 7) - 3.25, y: -((i % 5) * 0.5), z: 9.81 };
    text += `${JSON.stringify(reading)}\n`;
  }
  return text;
}

async function drive(port: number, key: string, c: IngestBenchCase, bodies: Buffer[], seconds: number): Promise<IngestBenchResult> {
  const loadAverage = os.loadavg()[0] ?? 0;
  const agent = new Agent({ keepAlive: true, maxSockets: c.concurrency });
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async (n: number): Promise<void> => {
    for (let i = n; performance.now() < deadline; i += c.concurrency) {
      const t0 = performance.now();
      const status = await post(agent, port, key, bodies[i % bodies.length] as Buffer);
      if (status === 200) latencies.push(performance.now() - t0);
      else failures += 1;
    }
  };
  await Promise.all(Array.from({ length: c.concurrency }, (_, n) => client(n)));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    ...c,
    seconds: elapsed,
    requests: latencies.length,
    records: latencies.length * c.batchSize,
    failures,
    recordsPerSecond: (latencies.length * c.batchSize) / elapsed,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    loadAverage,
  };
}

function post(agent: Agent, port: number, key: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: 'POST',
        path: '/v1/accelerometer',
        headers: { 'content-type': 'application/x-ndjson', 'content-length': body.length, authorization: `Bearer ${key}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function startServer(lake: string, keysFile: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const args = ['serve', '--lake', lake, '--keys', keysFile, '--port', '0', '--log-level', 'warn'];
  // The benchmark measures throughput, not the rate limiter.
  args.push('--rate-limit', '1000000', '--max-records', '10000');
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'stedi.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"http:\/\/[^:]+:(\d+)"/.exec(out);
      if (match?.[1]) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`stedi serve exited with ${code}: ${out}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Wait for the graceful shutdown before the lake is removed under the server's feet.
  return { port, stop: () => (child.kill('SIGTERM'), exited) };
}

export function formatResults(results: readonly IngestBenchResult[], seconds: number): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const rows = results.map(
    (r) =>
      `| ${r.batchSize.toLocaleString('en-US')} | ${r.concurrency} | ${Math.round(r.recordsPerSecond).toLocaleString('en-US')} | ` +
      `${Math.round(r.requests / r.seconds).toLocaleString('en-US')} | ${r.p50Ms.toFixed(2)} ms | ${r.p99Ms.toFixed(2)} ms | ${r.failures} | ` +
      `${r.loadAverage.toFixed(1)} |`,
  );
  return [
    '## Ingestion service (`stedi serve`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${cpu}), Node ${process.version}, loopback; ` +
      `server = the real CLI in a child process (fsync per group commit), load generator = a second process with keep-alive ` +
      `HTTP clients; ${seconds} s per case after a warm-up. Reproduce: \`npm run bench:ingest\`.`,
    '',
    '| readings per batch | concurrent clients | readings/s | requests/s | p50 | p99 | non-200 | load avg before |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'Target: >= 200,000 readings/s with 1,000-reading batches at p99 < 50 ms on 2 cores (server and load generator share them).',
    'A load average above ~2 before a case means other work shared the two cores; its numbers are then a lower bound.',
  ].join('\n');
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const secondsFlag = argv.indexOf('--seconds');
  const seconds = secondsFlag === -1 ? 10 : Number(argv[secondsFlag + 1]);
  // `--cases 1x64,100x32,1000x4`: readings per batch x concurrent clients.
  const casesFlag = argv.indexOf('--cases');
  const cases =
    casesFlag === -1
      ? DEFAULT_CASES
      : (argv[casesFlag + 1] ?? '').split(',').map((c) => {
          const [batchSize, concurrency] = c.split('x').map(Number);
          return { batchSize: batchSize ?? 1, concurrency: concurrency ?? 1 };
        });
  const results = await runIngestBench({ seconds, cases });
  const section = formatResults(results, seconds);
  process.stdout.write(`${section}\n`);
  if (!argv.includes('--no-write')) await replaceSection(path.join(REPO, 'bench', 'RESULTS.md'), 'ingest', section);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}

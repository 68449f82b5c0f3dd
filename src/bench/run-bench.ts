/**
 * `npm run bench`: times `stedi run` against the hand-written DuckDB script (bench/reference.sql)
 * on the same generated lakes, alternating the two so drift on a shared machine hits both, and
 * writes medians, the ratio and peak memory to bench/RESULTS.md.
 *
 *   node dist/bench/run-bench.js [--sizes 100k,10m] [--repeats 3] [--work bench/work]
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { generateLake, type ExpectedFile } from '../generator/index.js';
import { LakeLayout } from '../lake/layout.js';
import { parseList, parsePositiveInt } from '../cli/options.js';
import { replaceSection } from './results-file.js';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = 'bench-pseudonym-key-0123456789';
/** Accelerometer readings per generated customer, measured on the generator (about 85). */
const READINGS_PER_CUSTOMER = 85;
const SIZES: Record<string, number> = { '100k': 100_000, '1m': 1_000_000, '10m': 10_000_000 };

interface Sample {
  seconds: number;
  peakMiB: number;
}

/** Wall time and peak resident memory of a child process, measured by GNU time. */
async function measure(args: string[]): Promise<Sample> {
  const { stderr } = await run('/usr/bin/time', ['-f', 'STEDI_TIME %e %M', ...args], {
    cwd: REPO,
    env: { ...process.env, STEDI_PSEUDONYM_KEY: KEY },
    maxBuffer: 64 * 1024 * 1024,
  });
  const match = /STEDI_TIME ([\d.]+) (\d+)/.exec(stderr);
  if (!match) throw new Error(`could not read /usr/bin/time output: ${stderr.slice(-500)}`);
  return { seconds: Number(match[1]), peakMiB: Number(match[2]) / 1024 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function ensureLake(work: string, size: string, readings: number): Promise<{ lake: string; expected: ExpectedFile }> {
  const lake = path.join(work, size);
  const customers = Math.max(20, Math.round(readings / READINGS_PER_CUSTOMER));
  const layout = new LakeLayout(lake);
  const existing = await fs
    .readFile(layout.expectationsFile, 'utf8')
    .then((t) => JSON.parse(t) as ExpectedFile)
    .catch(() => undefined);
  if (existing?.customers === customers) return { lake, expected: existing };
  process.stderr.write(`generating ${size} lake (${customers.toLocaleString('en-US')} customers) in ${lake}\n`);
  const generated = await generateLake({ out: lake, customers, seed: 7, force: true });
  return { lake, expected: generated.expected };
}

interface SizeResult {
  size: string;
  readings: number;
  mlRows: number;
  pipeline: Sample[];
  reference: Sample[];
}

async function benchSize(work: string, size: string, repeats: number): Promise<SizeResult> {
  const { lake, expected } = await ensureLake(work, size, SIZES[size] ?? 0);
  const refOut = path.join(work, `${size}-reference-out`);
  const result: SizeResult = {
    size,
    readings: expected.landing.accelerometer_landing,
    mlRows: expected.strict.machine_learning_curated,
    pipeline: [],
    reference: [],
  };
  const pipeline = (): Promise<Sample> => measure([process.execPath, 'bin/stedi.js', 'run', '--lake', lake, '--quiet']);
  const reference = (): Promise<Sample> => measure([process.execPath, 'dist/bench/reference-run.js', lake, refOut]);
  for (let i = 0; i < repeats; i++) {
    // Alternate which goes first, so neither always runs on a warmer cache.
    const order = i % 2 === 0 ? [pipeline, reference] : [reference, pipeline];
    for (const step of order) {
      const sample = await step();
      (step === pipeline ? result.pipeline : result.reference).push(sample);
      process.stderr.write(`${size} ${step === pipeline ? 'pipeline ' : 'reference'} ${sample.seconds.toFixed(2)} s, ${sample.peakMiB.toFixed(0)} MiB\n`);
    }
  }
  return result;
}

function report(results: SizeResult[], repeats: number): string {
  const rows = results.map((r) => {
    const p = median(r.pipeline.map((s) => s.seconds));
    const ref = median(r.reference.map((s) => s.seconds));
    const pm = Math.max(...r.pipeline.map((s) => s.peakMiB));
    const rm = Math.max(...r.reference.map((s) => s.peakMiB));
    return `| ${r.size} | ${r.readings.toLocaleString('en-US')} | ${r.mlRows.toLocaleString('en-US')} | ${p.toFixed(2)} s | ${ref.toFixed(2)} s | **${(p / ref).toFixed(2)}x** | ${pm.toFixed(0)} MiB | ${rm.toFixed(0)} MiB |`;
  });
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return [
    '## Pipeline vs hand-written DuckDB script',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; median of ${repeats} alternating runs each, whole processes timed with GNU time (wall clock, peak RSS). Reproduce: \`npm run bench\`.`,
    '',
    '| size | accelerometer readings | ML rows | `stedi run` | reference.sql | ratio | peak RSS run | peak RSS reference |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'Target: ratio <= 1.2 at 10M readings. `stedi run` does more than the script: it reads every line as text',
    'and checks it against the landing contract, names the file and line of a bad record, stages and',
    'atomically publishes each table, and appends the run log.',
  ].join('\n');
}

async function main(): Promise<void> {
  const program = new Command('bench')
    .option('--sizes <list>', 'lake sizes in accelerometer readings: 100k, 1m, 10m', parseList, ['100k', '10m'])
    .option('--repeats <n>', 'timed runs of each side per size', parsePositiveInt, 3)
    .option('--work <dir>', 'where generated lakes are kept between runs', path.join(REPO, 'bench/work'))
    .parse();
  const opts = program.opts<{ sizes: string[]; repeats: number; work: string }>();
  const unknown = opts.sizes.filter((s) => !(s in SIZES));
  if (unknown.length) throw new Error(`unknown size ${unknown.join(', ')}; sizes are ${Object.keys(SIZES).join(', ')}`);
  const results: SizeResult[] = [];
  for (const size of opts.sizes) results.push(await benchSize(opts.work, size, opts.repeats));
  const text = report(results, opts.repeats);
  await replaceSection(path.join(REPO, 'bench/RESULTS.md'), 'pipeline', text);
  process.stdout.write(`${text}\n`);
}

await main();

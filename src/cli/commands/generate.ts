/**
 * `stedi generate`: writes deterministic synthetic landing data into a lake folder, with the
 * expected row count of every table in `_stedi/expected.json` (see src/generator/).
 */
import type { Command } from 'commander';
import { StediError } from '../../errors.js';
import { DEFAULT_SEED, generateLake, type GenerateProgress } from '../../generator/index.js';

/** Below this many customers generation takes about a second: no progress lines. */
const PROGRESS_FROM_CUSTOMERS = 20_000;

interface GenerateFlags {
  readonly out: string;
  readonly customers: string;
  readonly seed: string;
  readonly badRate: string;
  readonly force?: boolean;
  readonly quiet?: boolean;
}

/** Strict integer parsing: "12abc" or "1e3" is a usage error, not 12 or 1000. */
function parseInteger(flag: string, text: string, min: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= min)) throw new StediError('USAGE', `${flag} must be an integer of at least ${min}, got "${text}"`);
  return value;
}

/** A rate from 0 (included) to 1 (excluded), written as a plain decimal ("0.02", not "2e-2" or "2%"). */
function parseRate(flag: string, text: string): number {
  const value = /^(0|0?\.\d+)$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= 0 && value < 1)) throw new StediError('USAGE', `${flag} must be a number from 0 up to (not including) 1, got "${text}"`);
  return value;
}

function progressLine(p: GenerateProgress, startedAt: number): string {
  const percent = Math.floor((100 * p.customersDone) / p.customersTotal);
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  return `generate: ${percent}% ${p.customersDone}/${p.customersTotal} customers, ${p.accelerometerLines} accelerometer and ${p.stepTrainerLines} step-trainer readings, ${seconds}s\n`;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write deterministic synthetic landing data and its expected table counts into a lake folder')
    .requiredOption('--out <dir>', 'lake folder to write into')
    .requiredOption('--customers <n>', 'number of customers (about 85 accelerometer readings each)')
    .option('--seed <s>', 'random seed; the same seed and size give byte-identical files', String(DEFAULT_SEED))
    .option('--bad-rate <r>', 'share of additional bad or hostile lines per landing source, 0 <= r < 1 (every kind appears at least once when r > 0)', '0')
    .option('--force', 'delete existing landing files in the folder instead of refusing')
    .option('--quiet', 'no progress on stderr')
    .action(async (flags: GenerateFlags) => {
      const customers = parseInteger('--customers', flags.customers, 1);
      const seed = parseInteger('--seed', flags.seed, 0);
      const badRate = parseRate('--bad-rate', flags.badRate);
      const startedAt = Date.now();
      const showProgress = !flags.quiet && customers >= PROGRESS_FROM_CUSTOMERS;
      const result = await generateLake({
        out: flags.out,
        customers,
        seed,
        badRate,
        force: flags.force ?? false,
        progressEvery: Math.max(1, Math.ceil(customers / 20)),
        onProgress: showProgress ? (p) => process.stderr.write(progressLine(p, startedAt)) : undefined,
      });
      const { landing, strict, lenient, quarantine } = result.expected;
      const quarantined = Object.values(quarantine).reduce((n, rules) => n + Object.values(rules).reduce((a, b) => a + b, 0), 0);
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
      process.stdout.write(
        `generated ${landing.customer_landing} customer, ${landing.accelerometer_landing} accelerometer and ` +
          `${landing.step_trainer_landing} step-trainer records in ${seconds}s into ${flags.out}\n` +
          (badRate > 0 ? `of which ${quarantined} bad records to be quarantined (--bad-rate ${badRate})\n` : '') +
          `expected (strict/lenient): machine_learning_curated ${strict.machine_learning_curated}/${lenient.machine_learning_curated}, ` +
          `details in ${result.expectationsFile}\n`,
      );
    });
}

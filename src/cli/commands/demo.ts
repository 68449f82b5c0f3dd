import path from 'node:path';
import type { Command } from 'commander';
import { LakeLayout } from '../../lake/layout.js';
import type { TableStatus } from '../../lake/lake-reader.js';
import { LANDING_SOURCES, TABLES } from '../../lake/tables.js';
import { listLandingFiles } from '../../pipeline/landing.js';
import { DEMO_PSEUDONYM_KEY, PSEUDONYM_KEY_ENV } from '../../privacy/pseudonym-key.js';
import { formatCount, renderTable } from '../format.js';
import { parsePositiveInt, parseRate } from '../options.js';
import { printProgress } from '../progress.js';

interface DemoFlags {
  lake: string;
  customers: number;
  seed: number;
  badRate: number;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a demo lake if there is none, run the pipeline, and show the zone funnel')
    .option('--lake <dir>', 'lake folder', 'demo-lake')
    .option('--customers <n>', 'customers to generate when the lake is new', parsePositiveInt, 1000)
    .option('--seed <n>', 'generator seed', parsePositiveInt, 1)
    .option('--bad-rate <r>', 'share of bad records injected when the lake is new (they are quarantined)', parseRate, 0.005)
    .action(async (flags: DemoFlags) => {
      const [{ generateLake }, { readTableStatus }, { runPipeline }] = await Promise.all([
        import('../../generator/index.js'),
        import('../../lake/lake-reader.js'),
        import('../../pipeline/runner.js'),
      ]);
      const say = (text: string): boolean => process.stderr.write(`${text}\n`);
      const layout = new LakeLayout(flags.lake);
      const hasLanding = (await Promise.all(LANDING_SOURCES.map((s) => listLandingFiles(layout, s)))).some((f) => f.length > 0);
      if (!hasLanding) {
        say(`generating a demo lake with ${flags.customers.toLocaleString('en-US')} customers in ${layout.root}`);
        await generateLake({ out: layout.root, customers: flags.customers, seed: flags.seed, badRate: flags.badRate });
      } else {
        say(`using the existing lake in ${layout.root}`);
      }
      const envKey = process.env[PSEUDONYM_KEY_ENV];
      if (!envKey) say(`${PSEUDONYM_KEY_ENV} is not set: the demo uses its built-in key (never do this with real data)`);
      const run = await runPipeline({ lake: layout.root, pseudonymKey: envKey || DEMO_PSEUDONYM_KEY, onProgress: printProgress });
      const quarantined = run.jobs.reduce((n, j) => n + Object.values(j.ledger.quarantined).reduce((a, b) => a + b, 0), 0);
      process.stdout.write(`\n${renderFunnel(await readTableStatus(layout.root))}\n\n`);
      process.stdout.write(`Files (Parquet, one file per table) under ${layout.root}:\n`);
      for (const spec of Object.values(TABLES)) {
        if (spec.zone !== 'landing') process.stdout.write(`  ${spec.name.padEnd(26)} ${path.join(layout.root, spec.folder)}\n`);
      }
      process.stdout.write(
        `\n${quarantined.toLocaleString('en-US')} bad landing record(s) quarantined: npx stedi quarantine --lake ${flags.lake}\n` +
          `Ledger of every job and the last run: npx stedi status --lake ${flags.lake}; checks: npx stedi check --lake ${flags.lake}\n`,
      );
    });
}

/** Rows per table laid out as landing -> trusted -> curated, one line per source. */
function renderFunnel(tables: readonly TableStatus[]): string {
  const rows = (name: string): string => formatCount(tables.find((t) => t.table === name)?.rows ?? null);
  const body = [
    ['customer', rows('customer_landing'), rows('customer_trusted'), `${rows('customer_curated')}  customer_curated`],
    ['accelerometer', rows('accelerometer_landing'), rows('accelerometer_trusted'), ''],
    ['step_trainer', rows('step_trainer_landing'), rows('step_trainer_trusted'), `${rows('machine_learning_curated')}  machine_learning_curated`],
  ];
  return `Zone funnel (rows)\n${renderTable(['source', 'landing', '-> trusted', '-> curated'], body, new Set([1, 2]))}`;
}

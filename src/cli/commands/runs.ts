import type { Command } from 'commander';
import { LakeLayout } from '../../lake/layout.js';
import { readRuns } from '../../pipeline/run-log.js';
import { formatDuration, renderTable } from '../format.js';
import { parsePositiveInt } from '../options.js';

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list the run log, newest last')
    .requiredOption('--lake <dir>', 'lake folder')
    .option('--limit <n>', 'only the last n runs', parsePositiveInt, 20)
    .option('--json', 'machine-readable output (the full records)')
    .action(async (flags: { lake: string; limit: number; json?: boolean }) => {
      const runs = (await readRuns(new LakeLayout(flags.lake).runLogFile)).slice(-flags.limit);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
        return;
      }
      if (runs.length === 0) {
        process.stdout.write('no runs yet\n');
        return;
      }
      const rows = runs.map((r) => [
        r.runId,
        r.startedAt,
        r.outcome,
        formatDuration(r.durationMs),
        r.policy,
        r.jobs.map((j) => j.job).join(',') || '-',
        r.error ?? '',
      ]);
      process.stdout.write(`${renderTable(['run', 'started', 'outcome', 'took', 'policy', 'jobs', 'error'], rows)}\n`);
    });
}

import type { Command } from 'commander';
import { PSEUDONYM_KEY_ENV } from '../../privacy/pseudonym-key.js';
import { formatCount, renderTable } from '../format.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('run the declared checks (unique keys, required columns, references, privacy invariants) on the published tables')
    .requiredOption('--lake <dir>', 'lake folder')
    .option('--json', 'machine-readable output')
    .addHelpText('after', `\nThe same-customer pairing check of the machine-learning table needs ${PSEUDONYM_KEY_ENV}.`)
    .action(async (flags: { lake: string; json?: boolean }) => {
      const { checkLake } = await import('../../quality/check-lake.js');
      const report = await checkLake(flags.lake, process.env[PSEUDONYM_KEY_ENV]);
      const failed = report.results.filter((r) => r.outcome === 'failed');
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        const rows = report.results.map((r) => [r.table, r.check, r.outcome === 'not_run' ? `not run: ${r.note ?? ''}` : r.outcome, formatCount(r.violations)]);
        process.stdout.write(`${renderTable(['table', 'check', 'outcome', 'violations'], rows, new Set([3]))}\n`);
        for (const r of failed) {
          process.stdout.write(`\n${r.table}: ${r.check}: ${r.description}\n`);
          for (const s of r.samples) process.stdout.write(`  ${JSON.stringify(s)}\n`);
        }
        process.stdout.write(`\n${report.results.length - failed.length} of ${report.results.length} checks without violations (${report.policy} policy)\n`);
      }
      if (failed.length > 0) process.exitCode = 1;
    });
}

import type { Command } from 'commander';
import { PSEUDONYM_KEY_ENV } from '../../privacy/pseudonym-key.js';
import { parseList, parsePolicy } from '../options.js';
import { printProgress } from '../progress.js';
import { formatDuration } from '../format.js';
import type { Policy } from '../../pipeline/model.js';

interface RunFlags {
  lake: string;
  jobs?: string[];
  policy: Policy;
  json?: boolean;
  quiet?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the jobs: landing JSON -> trusted and curated Parquet (atomic, idempotent)')
    .requiredOption('--lake <dir>', 'lake folder')
    .option('--jobs <a,b>', 'only these jobs (their other inputs are read from published tables)', parseList)
    .option('--policy <policy>', 'strict (readings from consent on) or lenient', parsePolicy, 'strict')
    .option('--json', 'print the run record as JSON on stdout')
    .option('--quiet', 'no progress output')
    .addHelpText('after', `\nThe machine-learning table needs a secret key in ${PSEUDONYM_KEY_ENV}.`)
    .action(async (flags: RunFlags) => {
      // Loaded on use: `stedi --help` and other commands should not pay for DuckDB.
      const { runPipeline } = await import('../../pipeline/runner.js');
      const record = await runPipeline({
        lake: flags.lake,
        jobs: flags.jobs,
        policy: flags.policy,
        pseudonymKey: process.env[PSEUDONYM_KEY_ENV],
        onProgress: flags.quiet || flags.json ? undefined : printProgress,
      });
      if (flags.json) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      else if (!flags.quiet) process.stderr.write(`run ${record.runId} succeeded in ${formatDuration(record.durationMs)}\n`);
    });
}

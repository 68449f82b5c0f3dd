import type { Command } from 'commander';
import { PSEUDONYM_KEY_ENV } from '../../privacy/pseudonym-key.js';
import { parseList, parsePolicy } from '../options.js';
import { printProgress } from '../progress.js';
import { formatDuration } from '../format.js';
import type { Policy } from '../../pipeline/model.js';
import { ENGINE_NAMES, engineSettingsFrom } from '../../engines/index.js';
import { TRINO_ENV } from '../../engines/trino/trino-env.js';

interface RunFlags {
  lake: string;
  jobs?: string[];
  policy: Policy;
  json?: boolean;
  quiet?: boolean;
  engine: string;
  trinoUrl?: string;
  trinoCatalog?: string;
  trinoSchema?: string;
  trinoUser?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the jobs: landing JSON -> trusted and curated Parquet (atomic, idempotent)')
    .requiredOption('--lake <dir>', 'lake folder')
    .option('--jobs <a,b>', 'only these jobs (their other inputs are read from published tables)', parseList)
    .option('--policy <policy>', 'strict (readings from consent on) or lenient', parsePolicy, 'strict')
    .option('--engine <name>', `${ENGINE_NAMES.join(' or ')} (env STEDI_ENGINE)`, process.env.STEDI_ENGINE || 'duckdb')
    .option('--trino-url <url>', `Trino server, e.g. http://127.0.0.1:8080 (env ${TRINO_ENV.url})`)
    .option('--trino-catalog <name>', `Hive catalog that reaches the lake (env ${TRINO_ENV.catalog}; default lake)`)
    .option('--trino-schema <name>', `schema for the run's scratch tables (env ${TRINO_ENV.schema}; default stedi_<lake hash>, created)`)
    .option('--trino-user <name>', `user (env ${TRINO_ENV.user}; default stedi); a password only from ${TRINO_ENV.password}`)
    .option('--json', 'print the run record as JSON on stdout')
    .option('--quiet', 'no progress output')
    .addHelpText('after', `\nThe machine-learning table needs a secret key in ${PSEUDONYM_KEY_ENV}.`)
    .action(async (flags: RunFlags) => {
      // Loaded on use: `stedi --help` and other commands should not pay for DuckDB.
      const { runPipeline } = await import('../../pipeline/runner.js');
      const engine = await engineSettingsFrom(flags.engine, flags);
      const record = await runPipeline({
        lake: flags.lake,
        engine,
        jobs: flags.jobs,
        policy: flags.policy,
        pseudonymKey: process.env[PSEUDONYM_KEY_ENV],
        onProgress: flags.quiet || flags.json ? undefined : printProgress,
      });
      if (flags.json) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      else if (!flags.quiet) process.stderr.write(`run ${record.runId} succeeded in ${formatDuration(record.durationMs)}\n`);
    });
}

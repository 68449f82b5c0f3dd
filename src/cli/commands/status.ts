import type { Command } from 'commander';
import { LakeLayout } from '../../lake/layout.js';
import { readRuns, type JobRecord } from '../../pipeline/run-log.js';
import type { Counts } from '../../pipeline/ledger.js';
import { StediError } from '../../errors.js';
import { formatCount, formatDuration, renderTable } from '../format.js';
import fs from 'node:fs/promises';

/** One block per job: rows in and out, then each reason with its count. */
export function renderLedger(jobs: readonly JobRecord[]): string {
  const lines: string[] = [];
  for (const j of jobs) {
    lines.push(`  ${j.job}: ${formatCount(j.rowsIn)} in -> ${formatCount(j.rowsOut)} out`);
    const parts: [string, Counts][] = [
      ['removed', j.ledger.removed],
      ['quarantined', j.ledger.quarantined],
      ['added', j.ledger.added],
      ['warnings (kept)', j.ledger.warnings],
    ];
    for (const [label, counts] of parts) {
      const entries = Object.entries(counts);
      if (entries.length) lines.push(`    ${label}: ${entries.map(([k, n]) => `${k} ${formatCount(n)}`).join(', ')}`);
    }
  }
  return lines.join('\n');
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('row count of every table per zone, and the last run')
    .requiredOption('--lake <dir>', 'lake folder')
    .option('--json', 'machine-readable output')
    .action(async (flags: { lake: string; json?: boolean }) => {
      const layout = new LakeLayout(flags.lake);
      if (!(await fs.stat(layout.root).catch(() => undefined))?.isDirectory()) {
        throw new StediError('LAKE_MISSING', `lake folder ${layout.root} does not exist`);
      }
      const { readTableStatus } = await import('../../lake/lake-reader.js');
      const tables = await readTableStatus(layout.root);
      const lastRun = (await readRuns(layout.runLogFile)).at(-1) ?? null;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ lake: layout.root, tables, lastRun }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`lake ${layout.root}\n\n`);
      const rows = tables.map((t) => [t.zone, t.table, formatCount(t.rows), String(t.files), t.folder]);
      process.stdout.write(`${renderTable(['zone', 'table', 'rows', 'files', 'folder'], rows, new Set([2, 3]))}\n\n`);
      process.stdout.write(
        lastRun
          ? `last run ${lastRun.runId}: ${lastRun.outcome} in ${formatDuration(lastRun.durationMs)} (${lastRun.engine}, ${lastRun.policy})${lastRun.error ? `: ${lastRun.error}` : ''}\n`
          : 'no run yet\n',
      );
      if (lastRun && lastRun.jobs.length > 0) process.stdout.write(`\nledger of the last run (rows in = out + removed + quarantined - added)\n${renderLedger(lastRun.jobs)}\n`);
    });
}

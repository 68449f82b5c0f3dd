import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { LakeLayout } from '../../lake/layout.js';
import { LANDING_TABLE, type TableName } from '../../lake/tables.js';
import { StediError } from '../../errors.js';
import { formatCount, renderTable } from '../format.js';
import { parsePositiveInt } from '../options.js';
import type { RuleSummary } from '../../quality/quarantine-reader.js';

interface QuarantineFlags {
  lake: string;
  table?: string;
  samples: number;
  json?: boolean;
  showPii?: boolean;
}

const MAX_SAMPLE_CHARS = 160;

export function registerQuarantine(program: Command): void {
  program
    .command('quarantine')
    .description('bad landing records set aside by the last run: counts per rule and samples (personal fields masked)')
    .requiredOption('--lake <dir>', 'lake folder')
    .option('--table <table>', `only one landing table (${Object.values(LANDING_TABLE).join(', ')})`)
    .option('--samples <n>', 'sample records shown per rule', parsePositiveInt, 3)
    .option('--json', 'machine-readable output')
    .option('--show-pii', 'show personal fields unmasked (do not paste the output into tickets)')
    .action(async (flags: QuarantineFlags) => {
      const tables = Object.values(LANDING_TABLE).filter((t) => !flags.table || t === flags.table);
      if (tables.length === 0) {
        throw new StediError('USAGE', `unknown landing table '${flags.table}'`, { hint: `tables are ${Object.values(LANDING_TABLE).join(', ')}` });
      }
      const [{ readQuarantine }, { maskRawLine }] = await Promise.all([
        import('../../quality/quarantine-reader.js'),
        import('../../privacy/mask.js'),
      ]);
      const layout = new LakeLayout(flags.lake);
      const report = [];
      for (const table of tables) {
        const file = layout.quarantineFile(table);
        if (!(await fs.stat(file).catch(() => undefined))) {
          report.push({ table, rules: null });
          continue;
        }
        const summary = await readQuarantine(file, flags.samples);
        const rules = summary.map((r) => ({
          ...r,
          samples: r.samples.map((s) => ({ ...s, raw_line: flags.showPii ? s.raw_line : maskRawLine(s.raw_line) })),
        }));
        report.push({ table, rules });
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ lake: layout.root, masked: !flags.showPii, tables: report }, null, 2)}\n`);
        return;
      }
      for (const { table, rules } of report) printTable(table, rules);
    });
}

type Summary = RuleSummary[];

function printTable(table: TableName, rules: Summary | null): void {
  const out = (s: string): boolean => process.stdout.write(`${s}\n`);
  if (rules === null) {
    out(`${table}: no quarantine yet (run the pipeline first)\n`);
    return;
  }
  const total = rules.reduce((n, r) => n + r.count, 0);
  out(`${table}: ${formatCount(total)} quarantined record(s)`);
  if (total === 0) {
    out('');
    return;
  }
  out(renderTable(['rule', 'records'], rules.map((r) => [r.rule, formatCount(r.count)]), new Set([1])));
  for (const r of rules) {
    for (const s of r.samples) {
      const raw = s.raw_line.length > MAX_SAMPLE_CHARS ? `${s.raw_line.slice(0, MAX_SAMPLE_CHARS)}... (${formatCount(s.raw_line.length)} chars)` : s.raw_line;
      out(`  ${r.rule}  ${s.source_file}:${s.line_number}  ${s.message}\n    ${raw}`);
    }
  }
  out('');
}

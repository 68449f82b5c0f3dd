/** Runs the declared checks in an engine and reports violations with a few masked sample rows. */
import type { Engine } from '../engines/engine.js';
import type { ModelContext } from '../pipeline/model.js';
import { maskValue, PERSONAL_FIELDS } from '../privacy/mask.js';
import type { TableName } from '../lake/tables.js';
import { CHECKS, type Check } from './checks.js';

const SAMPLE_ROWS = 3;

export interface CheckResult {
  check: string;
  table: TableName;
  description: string;
  outcome: 'passed' | 'failed' | 'not_run';
  violations: number;
  /** Wall time the check took (0 when not run). */
  durationMs: number;
  /** Offending rows, personal fields masked. */
  samples: Record<string, unknown>[];
  note?: string;
}

/** Which checks apply: those whose tables are all present, under the tables' policy. */
export function applicableChecks(available: ReadonlySet<TableName>, policy: ModelContext['policy']): Check[] {
  return CHECKS.filter((c) => available.has(c.table) && c.reads.every((t) => available.has(t)) && (!c.policy || c.policy === policy));
}

export async function runChecks(engine: Engine, ctx: ModelContext, checks: readonly Check[], hasKey: boolean): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const base = { check: check.name, table: check.table, description: check.description };
    if (check.needsPseudonymKey && !hasKey) {
      results.push({ ...base, outcome: 'not_run', violations: 0, durationMs: 0, samples: [], note: 'STEDI_PSEUDONYM_KEY is not set' });
      continue;
    }
    const started = Date.now();
    const screen = check.screen?.(ctx);
    if (screen !== undefined && (await count(engine, screen)) === 0) {
      results.push({ ...base, outcome: 'passed', violations: 0, durationMs: Date.now() - started, samples: [] });
      continue;
    }
    const sql = check.sql(ctx);
    const violations = await count(engine, `SELECT count(*) AS n FROM (${sql}) offending`);
    const samples = violations === 0 ? [] : (await engine.query(`SELECT * FROM (${sql}) offending LIMIT ${SAMPLE_ROWS}`)).map(maskRow);
    results.push({ ...base, outcome: violations === 0 ? 'passed' : 'failed', violations, durationMs: Date.now() - started, samples });
  }
  return results;
}

async function count(engine: Engine, select: string): Promise<number> {
  const [row] = await engine.query<{ n: bigint | number | null }>(select);
  return Number(row?.n ?? 0);
}

function maskRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, PERSONAL_FIELDS.has(k) && typeof v === 'string' ? maskValue(v) : typeof v === 'bigint' ? Number(v) : v]),
  );
}

export function describeFailures(results: readonly CheckResult[]): string {
  return results
    .filter((r) => r.outcome === 'failed')
    .map((r) => `${r.table}: ${r.check} (${r.description}): ${r.violations} row(s), e.g. ${JSON.stringify(r.samples[0] ?? {})}`)
    .join('; ');
}

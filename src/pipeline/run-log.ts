/**
 * The run log: one JSON line per run under `<lake>/_stedi/runs.jsonl`, appended and flushed when
 * the run ends (succeeded or failed). A run killed outright leaves no line, and a torn last line
 * from a crash mid-append is skipped when reading.
 */
import fs from 'node:fs/promises';
import type { CheckResult } from '../quality/run-checks.js';
import type { Ledger } from './ledger.js';
import type { Policy } from './model.js';

export type Outcome = 'succeeded' | 'failed';

export interface JobRecord {
  job: string;
  output: string;
  inputs: string[];
  rowsIn: number;
  rowsOut: number;
  durationMs: number;
  outcome: Outcome;
  ledger: Ledger;
}

export interface LandingRecord {
  source: string;
  files: number;
  rows: number;
}

export interface RunRecord {
  runId: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  engine: string;
  policy: Policy;
  outcome: Outcome;
  error?: string;
  landing: LandingRecord[];
  jobs: JobRecord[];
  /** The audit before publishing (absent when the run failed before it). */
  checks?: CheckResult[];
}

export async function appendRun(logFile: string, record: RunRecord): Promise<void> {
  const handle = await fs.open(logFile, 'a');
  try {
    await handle.appendFile(`${JSON.stringify(record)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function readRuns(logFile: string): Promise<RunRecord[]> {
  let text: string;
  try {
    text = await fs.readFile(logFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const runs: RunRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      runs.push(JSON.parse(line) as RunRecord);
    } catch {
      // A torn line from a crash during append; every complete line is still read.
    }
  }
  return runs;
}

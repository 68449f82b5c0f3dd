/**
 * The ledger of one job: every row of its primary input is either in the output, removed for a
 * named reason, or quarantined for a named rule; a job that pairs rows may add some. A run whose
 * ledger does not balance fails loudly: nothing may disappear without a recorded reason.
 */
import { StediError } from '../errors.js';

export type Counts = Record<string, number>;

export interface Ledger {
  rowsIn: number;
  rowsOut: number;
  /** Removed by the job's rules (no consent, before consent, duplicate, ...). */
  removed: Counts;
  /** Rejected by the landing contract, per rule (only for jobs whose primary input is landing). */
  quarantined: Counts;
  /** Rows the job adds (one reading paired with several others). */
  added: Counts;
  /** Records kept but flagged by a warning rule (counted, not removed). */
  warnings: Counts;
}

export const sum = (counts: Counts): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** Drop zero counts and order keys, so equal ledgers serialize equally. */
export function tidy(counts: Counts): Counts {
  return Object.fromEntries(
    Object.entries(counts)
      .filter(([, n]) => n !== 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

export function assertBalanced(job: string, ledger: Ledger): void {
  const accounted = ledger.rowsOut + sum(ledger.removed) + sum(ledger.quarantined) - sum(ledger.added);
  if (accounted !== ledger.rowsIn) {
    throw new StediError(
      'LEDGER_UNBALANCED',
      `${job}: ledger does not balance: ${ledger.rowsIn} rows in, but ${ledger.rowsOut} out + ${sum(ledger.removed)} removed + ${sum(ledger.quarantined)} quarantined - ${sum(ledger.added)} added = ${accounted}`,
      { hint: 'a join multiplied or lost rows; this is a bug in the job, please report it with the run log' },
    );
  }
}

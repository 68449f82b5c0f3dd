/** Prints a run's progress to stderr, one line per step, so stdout stays clean for scripts. */
import type { ProgressEvent } from '../pipeline/runner.js';
import { formatCount, formatDuration } from './format.js';
import { sum, type Counts } from '../pipeline/ledger.js';

export function printProgress(event: ProgressEvent): void {
  const out = (text: string): boolean => process.stderr.write(`${text}\n`);
  switch (event.kind) {
    case 'landing':
      out(
        `landing  ${event.input.source}: ${formatCount(event.input.rows)} valid records in ${event.input.files.length} file(s)` +
          `${quarantineNote(event.input.quarantined)} (${formatDuration(event.input.durationMs)})`,
      );
      break;
    case 'job-start':
      break;
    case 'job-done': {
      const r = event.record;
      out(
        `[${event.index + 1}/${event.total}] ${r.job}: ${formatCount(r.rowsIn)} in -> ${formatCount(r.rowsOut)} out (${formatDuration(r.durationMs)})`,
      );
      break;
    }
    case 'checked': {
      const failed = event.results.filter((r) => r.outcome === 'failed').length;
      const notRun = event.results.filter((r) => r.outcome === 'not_run').length;
      out(`checked  ${event.results.length - failed - notRun} passed, ${failed} failed${notRun ? `, ${notRun} not run` : ''}`);
      break;
    }
    case 'published':
      out(`published ${event.files.length} file(s)`);
      break;
  }
}

function quarantineNote(counts: Counts): string {
  const total = sum(counts);
  if (total === 0) return '';
  const top = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([rule, n]) => `${rule} ${formatCount(n)}`)
    .join(', ');
  return `, ${formatCount(total)} quarantined (${top})`;
}

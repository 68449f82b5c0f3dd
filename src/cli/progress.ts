/** Prints a run's progress to stderr, one line per step, so stdout stays clean for scripts. */
import type { ProgressEvent } from '../pipeline/runner.js';
import { formatCount, formatDuration } from './format.js';

export function printProgress(event: ProgressEvent): void {
  const out = (text: string): boolean => process.stderr.write(`${text}\n`);
  switch (event.kind) {
    case 'landing':
      out(`landing  ${event.input.source}: ${formatCount(event.input.rows)} records in ${event.input.files.length} file(s) (${formatDuration(event.input.durationMs)})`);
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
    case 'published':
      out(`published ${event.tables.length} table(s)`);
      break;
  }
}

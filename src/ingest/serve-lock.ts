/**
 * One ingestion service per lake. Start-up recovery publishes or removes every temporary landing
 * file and rewrites the journal, which would wreck the files of a second service writing the same
 * lake; so a service holds `<lake>/_stedi/ingest/serve.lock` (its pid) while it runs.
 */
import path from 'node:path';
import { StediError } from '../errors.js';
import { acquirePidLock } from '../lake/pid-lock.js';

export function acquireServeLock(metaDir: string, lakeRoot: string): Promise<() => Promise<void>> {
  return acquirePidLock(
    path.join(metaDir, 'serve.lock'),
    (pid) =>
      new StediError('LAKE_LOCKED', `another stedi serve (pid ${pid}) is writing the lake ${lakeRoot}`, {
        hint: 'stop it first, or serve another lake',
      }),
  );
}

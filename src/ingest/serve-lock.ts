/**
 * One ingestion service per lake. Start-up recovery publishes or removes every temporary landing
 * file and rewrites the journal, which would wreck the files of a second service writing the same
 * lake; so a service holds `<lake>/_stedi/ingest/serve.lock` (its pid) while it runs. A lock whose
 * process is gone (after a SIGKILL or a crash) is stale and taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { StediError } from '../errors.js';

export async function acquireServeLock(metaDir: string, lakeRoot: string): Promise<() => Promise<void>> {
  await mkdir(metaDir, { recursive: true });
  const file = path.join(metaDir, 'serve.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new StediError('LAKE_LOCKED', `another stedi serve (pid ${pid}) is writing the lake ${lakeRoot}`, {
        hint: 'stop it first, or serve another lake',
      });
    }
    await rm(file, { force: true });
  }
  throw new StediError('LAKE_LOCKED', `could not take ${file}`, { hint: 'another stedi serve may be starting on this lake' });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

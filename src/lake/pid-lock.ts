/**
 * A lock file holding its owner's pid: one pipeline run, or one ingestion service, per lake. A lock
 * whose process no longer exists (after a SIGKILL or a crash) is stale and taken over, so a crash
 * never blocks the next start.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StediError } from '../errors.js';

/** Take the lock at `file`, or throw `whenHeld(pid)` while a live process holds it. Returns the release. */
export async function acquirePidLock(file: string, whenHeld: (pid: number) => StediError): Promise<() => Promise<void>> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) throw whenHeld(pid);
    await fs.rm(file, { force: true });
  }
  throw whenHeld(0);
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

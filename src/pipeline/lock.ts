/**
 * One run at a time per lake. The lock file holds the owner's pid; a lock left by a process that
 * no longer exists (a killed run) is taken over, so a crash never blocks the next run.
 */
import fs from 'node:fs/promises';
import { StediError } from '../errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(lockFile: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return async () => {
        await fs.rm(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new StediError('LAKE_LOCKED', `another run (pid ${owner}) is working on this lake`, {
          hint: `wait for it, or remove ${lockFile} if that process is not a stedi run`,
        });
      }
      await fs.rm(lockFile, { force: true });
    }
  }
  throw new StediError('LAKE_LOCKED', `could not take the lake lock ${lockFile}`);
}

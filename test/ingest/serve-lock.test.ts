import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StediError } from '../../src/errors.js';
import { makeTestLake, openTestService, type TestLake } from './helpers.js';

let lake: TestLake;
beforeEach(async () => {
  lake = await makeTestLake();
});
afterEach(async () => {
  await lake.cleanup();
});

const lockFile = (): string => path.join(lake.lake, '_stedi', 'ingest', 'serve.lock');

describe('one service per lake', () => {
  it('refuses a second service on the same lake until the first has stopped', async () => {
    const first = await openTestService(lake);
    expect(await readFile(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    const second = openTestService(lake);
    await expect(second).rejects.toThrow(StediError);
    await expect(second).rejects.toMatchObject({ code: 'LAKE_LOCKED' });
    await first.close();
    await expect(readFile(lockFile(), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    await (await openTestService(lake)).close();
  });

  it('takes over the lock of a process that no longer exists', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.dirname(lockFile()), { recursive: true });
    await writeFile(lockFile(), '999999999\n');
    const service = await openTestService(lake);
    expect(await readFile(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    await service.close();
  });
});

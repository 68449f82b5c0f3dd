/** The `stedi generate` command: flags, refusal without --force, usage errors. */
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerGenerate } from '../../src/cli/commands/generate.js';
import type { ExpectedFile } from '../../src/generator/generate-lake.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { withTempDir } from './lake-files.js';

async function stedi(...args: string[]): Promise<void> {
  const program = new Command('stedi').exitOverride();
  registerGenerate(program);
  await program.parseAsync(args, { from: 'user' });
}

describe('stedi generate', () => {
  let stdout: string[];
  beforeEach(() => {
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes the lake and its expectations, then refuses to write again without --force', async () => {
    await withTempDir(async (dir) => {
      await stedi('generate', '--out', dir, '--customers', '25', '--seed', '4', '--quiet');
      const expected = JSON.parse(await readFile(new LakeLayout(dir).expectationsFile, 'utf8')) as ExpectedFile;
      expect(expected.seed).toBe(4);
      expect(expected.customers).toBe(25);
      expect(stdout.join('')).toContain(`${expected.landing.accelerometer_landing} accelerometer`);

      await expect(stedi('generate', '--out', dir, '--customers', '25', '--quiet')).rejects.toMatchObject({
        code: 'USAGE',
        message: expect.stringContaining('already has') as unknown,
      });
      await stedi('generate', '--out', dir, '--customers', '25', '--seed', '4', '--quiet', '--force');
    });
  });

  it('injects bad records with --bad-rate, and rejects rates outside [0, 1)', async () => {
    await withTempDir(async (dir) => {
      await stedi('generate', '--out', dir, '--customers', '30', '--bad-rate', '0.05', '--quiet');
      const expected = JSON.parse(await readFile(new LakeLayout(dir).expectationsFile, 'utf8')) as ExpectedFile;
      expect(expected.badRate).toBe(0.05);
      expect(Object.keys(expected.quarantine.accelerometer_landing).length).toBeGreaterThan(5);
      expect(stdout.join('')).toContain('bad records to be quarantined');
      for (const rate of ['1', '-0.1', 'abc', '2e-2', '5%']) {
        await expect(stedi('generate', '--out', dir, '--customers', '5', '--force', '--bad-rate', rate)).rejects.toMatchObject({ code: 'USAGE' });
      }
    });
  });

  it('rejects sizes and seeds that are not integers', async () => {
    await withTempDir(async (dir) => {
      await expect(stedi('generate', '--out', dir, '--customers', '12abc')).rejects.toMatchObject({ code: 'USAGE' });
      await expect(stedi('generate', '--out', dir, '--customers', '0')).rejects.toMatchObject({ code: 'USAGE' });
      await expect(stedi('generate', '--out', dir, '--customers', '5', '--seed', '-1')).rejects.toMatchObject({ code: 'USAGE' });
      await expect(stedi('generate', '--out', dir, '--customers', '5', '--seed', '4294967296')).rejects.toMatchObject({ code: 'USAGE' });
    });
  });
});

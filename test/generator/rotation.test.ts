/** Large outputs are split into several landing files without losing, repeating or reordering lines. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LINES_PER_FILE } from '../../src/generator/config.js';
import { generateLake } from '../../src/generator/generate-lake.js';
import { LakeLayout } from '../../src/lake/layout.js';
import { LANDING_SOURCES } from '../../src/lake/tables.js';
import { landingFileNames, landingLines, withTempDir } from './lake-files.js';

describe('file rotation', () => {
  it('splits at maxLinesPerFile and the files concatenate to the unsplit output', async () => {
    await withTempDir(async (whole) => {
      await withTempDir(async (split) => {
        await generateLake({ out: whole, customers: 40, seed: 5 });
        const result = await generateLake({ out: split, customers: 40, seed: 5, maxLinesPerFile: 500 });
        const layout = new LakeLayout(split);
        for (const source of LANDING_SOURCES) {
          expect(await landingLines(split, source)).toEqual(await landingLines(whole, source));
        }
        expect(result.files.accelerometer.length).toBe(Math.ceil(result.expected.landing.accelerometer_landing / 500));
        for (const name of (await landingFileNames(split)).accelerometer) {
          const lines = (await readFile(path.join(layout.landingDir('accelerometer'), name), 'utf8')).split('\n').length - 1;
          expect(lines).toBeLessThanOrEqual(500);
          expect(lines).toBeGreaterThan(0);
        }
      });
    });
  });

  it('rotates at the default size once a lake passes it', async () => {
    await withTempDir(async (dir) => {
      // ~85 accelerometer readings per customer: 2,600 customers pass 200,000 lines.
      const result = await generateLake({ out: dir, customers: 2600, seed: 9 });
      expect(result.expected.landing.accelerometer_landing).toBeGreaterThan(DEFAULT_MAX_LINES_PER_FILE);
      expect(result.files.accelerometer.length).toBe(2);
      expect(result.files.step_trainer.length).toBe(1);
    });
  });
});

/**
 * Atomicity under SIGKILL: a run killed at any moment leaves every table at its last complete
 * version (never missing, never half written), and the next run completes normally.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLake } from '../../src/generator/index.js';
import { LakeLayout, TABLE_FILE } from '../../src/lake/layout.js';
import { tablesInZone, type TableName } from '../../src/lake/tables.js';
import { REPO_ROOT, runCli, tableFingerprint, tempDir, TEST_KEY } from '../helpers/lake-files.js';

const OUTPUTS: TableName[] = [...tablesInZone('trusted'), ...tablesInZone('curated')].map((t) => t.name);
const KILLS = 16;
const env = { ...process.env, STEDI_PSEUDONYM_KEY: TEST_KEY };

async function fingerprints(lake: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of OUTPUTS) out[table] = await tableFingerprint(lake, table);
  return out;
}

/** Start `stedi run` and SIGKILL it after `delayMs`; resolves with how it ended. */
function runAndKill(lake: string, delayMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/stedi.js'), 'run', '--lake', lake, '--quiet'], { env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

describe('a run killed with SIGKILL', () => {
  it('leaves every table at its last complete version, at many different moments', async () => {
    const lake = await tempDir('crash');
    await generateLake({ out: lake, customers: 800, seed: 4 });
    const first = await runCli(['run', '--lake', lake, '--quiet'], env);
    expect(first.code, first.stderr).toBe(0);
    const published = await fingerprints(lake);
    // Time a warm run (the first one pays for cold caches) to spread the kills over.
    const started = Date.now();
    expect((await runCli(['run', '--lake', lake, '--quiet'], env)).code).toBe(0);
    const fullRunMs = Date.now() - started;

    let killedCount = 0;
    let killedWhileStaging = 0;
    for (let i = 0; i < KILLS; i++) {
      // Spread the kills over the whole run, start-up through publishing.
      const outcome = await runAndKill(lake, Math.round((0.95 * fullRunMs * (i + 0.5)) / KILLS));
      if (outcome.killed) killedCount++;
      else expect(outcome.code).toBe(0);
      if (outcome.killed && (await stagedLeftovers(lake)) > 0) killedWhileStaging++;
      expect(await fingerprints(lake)).toEqual(published);
      for (const table of OUTPUTS) {
        const visible = (await fs.readdir(new LakeLayout(lake).tableDir(table))).filter((n) => !n.startsWith('_') && !n.startsWith('.'));
        expect(visible).toEqual([TABLE_FILE]);
      }
    }
    expect(killedCount).toBeGreaterThan(KILLS / 2);
    // Some kills must have hit the dangerous part: new versions written but not yet published.
    expect(killedWhileStaging).toBeGreaterThan(0);

    const after = await runCli(['run', '--lake', lake, '--quiet'], env);
    expect(after.code, after.stderr).toBe(0);
    expect(await fingerprints(lake)).toEqual(published);
    expect(await stagedLeftovers(lake)).toBe(0);
  });
});

/** Files left in `_staging/` folders: a run was killed after writing a new version. */
async function stagedLeftovers(lake: string): Promise<number> {
  const layout = new LakeLayout(lake);
  let n = 0;
  for (const table of OUTPUTS) n += (await fs.readdir(layout.stagingDir(table)).catch(() => [])).length;
  return n;
}

/**
 * End to end: a generated lake's landing records are posted through `stedi serve` (the real CLI)
 * into an empty lake, then `stedi run` builds the tables there. They must hold exactly the rows the
 * generator's independent expectations name, and be identical to the tables built from the
 * generated files directly: going through the service changes nothing the pipeline can see.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LANDING_SOURCES, tablesInZone, type LandingSource } from '../../src/lake/tables.js';
import { readTable, runCli, TEST_KEY } from '../helpers/lake-files.js';
import { ensureBuilt, killLeftoverServers, startChildServer } from './child-server.js';
import { landingFiles, makeTestLake } from './helpers.js';

beforeAll(() => ensureBuilt(), 120_000);
afterEach(() => killLeftoverServers());

interface RunRecord {
  outcome: string;
  landing: { source: LandingSource; rows: number }[];
  jobs: { job: string; output: string; rowsOut: number; ledger: { quarantined: Record<string, number> } }[];
}

async function stediRun(lake: string): Promise<RunRecord> {
  const result = await runCli(['run', '--lake', lake, '--json', '--quiet'], { STEDI_PSEUDONYM_KEY: TEST_KEY });
  expect([result.code, result.stderr]).toEqual([0, '']);
  return JSON.parse(result.stdout) as RunRecord;
}

describe('ingestion service feeding the pipeline', () => {
  it('gives the tables the generator expects', async () => {
    const lake = await makeTestLake();
    try {
      const generated = path.join(lake.root, 'generated');
      expect((await runCli(['generate', '--out', generated, '--customers', '40', '--seed', '5', '--quiet'])).code).toBe(0);
      const expected = JSON.parse(await readFile(path.join(generated, '_stedi', 'expected.json'), 'utf8')) as {
        landing: Record<string, number>;
        strict: Record<string, number>;
      };

      const server = await startChildServer(lake.lake, lake.keysFile, ['--log-level', 'warn']);
      const rejected: Record<LandingSource, number> = { customer: 0, accelerometer: 0, step_trainer: 0 };
      for (const source of LANDING_SOURCES) {
        for (const [name, content] of await landingFiles(generated, source)) {
          const lines = content.split('\n').filter((l) => l.trim() !== '');
          for (let start = 0; start < lines.length; start += 500) {
            const res = await fetch(`${server.url}/v1/${source}`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-ndjson', 'x-api-key': lake.keys.all, 'idempotency-key': `${name}:${start}` },
              body: lines.slice(start, start + 500).join('\n'),
            });
            const answer = (await res.json()) as { rejected: unknown[] };
            expect([200, 207]).toContain(res.status);
            rejected[source] += answer.rejected.length;
          }
        }
      }
      server.process.kill('SIGTERM');
      expect(await server.exited).toBe(0);

      const viaService = await stediRun(lake.lake);
      const direct = await stediRun(generated);
      expect(viaService.outcome).toBe('succeeded');
      expect(Object.fromEntries(viaService.jobs.map((j) => [j.output, j.rowsOut]))).toEqual(expected.strict);
      // The service refuses exactly what the pipeline would quarantine, so landing holds the rest.
      for (const source of LANDING_SOURCES) {
        const landingJob = direct.jobs.find((j) => j.job === `${source}_landing_to_trusted`);
        const quarantined = Object.values(landingJob?.ledger.quarantined ?? {}).reduce((a, b) => a + b, 0);
        expect([source, rejected[source]]).toEqual([source, quarantined]);
        expect([source, viaService.landing.find((l) => l.source === source)?.rows]).toEqual([
          source,
          (expected.landing[`${source}_landing`] ?? 0) - quarantined,
        ]);
      }
      for (const table of [...tablesInZone('trusted'), ...tablesInZone('curated')]) {
        expect([table.name, await readTable(lake.lake, table.name)]).toEqual([table.name, await readTable(generated, table.name)]);
      }
    } finally {
      await lake.cleanup();
    }
  });
});

/**
 * The real CLI as a child process: a SIGKILL under load loses no acknowledged record and
 * duplicates none; a SIGTERM finishes the batch in flight and publishes every file.
 */
import { request } from 'node:http';
import { readdir } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LANDING_SOURCES } from '../../src/lake/tables.js';
import { ensureBuilt, killLeftoverServers, startChildServer } from './child-server.js';
import { landingFiles, landingLines, makeTestLake, ndjson, reading } from './helpers.js';

beforeAll(() => ensureBuilt(), 120_000);
afterEach(() => killLeftoverServers());

const BATCH = 200;

function batchBody(batchId: number): string {
  return ndjson(Array.from({ length: BATCH }, (_, i) => ({ ...reading(i), x: batchId * 1000 + i })));
}

async function send(url: string, key: string, batchId: number): Promise<number> {
  const res = await fetch(`${url}/v1/accelerometer`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}`, 'idempotency-key': `batch-${batchId}` },
    body: batchBody(batchId),
  });
  await res.arrayBuffer();
  return res.status;
}

/** How many times each x value (= one record) is in landing. */
async function recordCounts(lake: string): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const line of await landingLines(lake, 'accelerometer')) {
    const { x } = JSON.parse(line) as { x: number };
    counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  return counts;
}

async function tempFilesLeft(lake: string): Promise<string[]> {
  const names: string[] = [];
  for (const source of LANDING_SOURCES) names.push(...[...(await landingFiles(lake, source)).keys()].filter((n) => !n.endsWith('.json')));
  return names;
}

describe('stedi serve as a process', () => {
  it('keeps every acknowledged record exactly once through SIGKILLs under load', async () => {
    const lake = await makeTestLake();
    const acked = new Set<number>();
    const unanswered = new Set<number>();
    let nextBatch = 0;

    /** Posts from 32 clients until killed; unanswered batches of earlier rounds are retried first. */
    const load = (url: string, stop: () => boolean): Promise<void[]> => {
      const retries = [...unanswered];
      const client = async (): Promise<void> => {
        while (!stop()) {
          const id = retries.pop() ?? nextBatch++;
          unanswered.add(id);
          try {
            if ((await send(url, lake.keys.all, id)) === 200) {
              acked.add(id);
              unanswered.delete(id);
            }
          } catch {
            return; // connection reset by the kill: this batch stays unanswered
          }
        }
      };
      return Promise.all(Array.from({ length: 32 }, () => client()));
    };

    /** Every acknowledged record exactly once, nothing twice, every batch whole or absent. */
    const expectAckedOnce = async (): Promise<Map<number, number>> => {
      const counts = await recordCounts(lake.lake);
      for (const id of acked) {
        for (let i = 0; i < BATCH; i++) expect(counts.get(id * 1000 + i)).toBe(1);
      }
      expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      const batches = new Set([...counts.keys()].map((x) => Math.floor(x / 1000)));
      for (const id of batches) expect([id, counts.get(id * 1000 + BATCH - 1)]).toEqual([id, 1]);
      return counts;
    };

    try {
      // Several kill rounds: each lands at a random point of a group commit (data written, journal not yet).
      for (let round = 0; round < 3; round++) {
        const server = await startChildServer(lake.lake, lake.keysFile, ['--log-level', 'warn', '--rotate-seconds', '0.2', '--rotate-mb', '0.2']);
        // Its start-up recovery has published what the previous round committed and dropped the rest.
        if (round > 0) await expectAckedOnce();
        let killed = false;
        const clients = load(server.url, () => killed);
        await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 500));
        killed = true;
        server.process.kill('SIGKILL');
        await clients;
        await server.exited;
      }
      expect(acked.size).toBeGreaterThan(50);

      const restarted = await startChildServer(lake.lake, lake.keysFile, ['--log-level', 'warn']);
      await expectAckedOnce();
      // Clients retry unanswered batches with the same Idempotency-Key: each is then stored exactly once.
      for (const id of [...unanswered, ...[...acked].slice(0, 10)]) expect(await send(restarted.url, lake.keys.all, id)).toBe(200);
      restarted.process.kill('SIGTERM');
      expect(await restarted.exited).toBe(0);
      const final = await recordCounts(lake.lake);
      expect(final.size).toBe(nextBatch * BATCH);
      expect([...final.values()].every((n) => n === 1)).toBe(true);
      expect(await tempFilesLeft(lake.lake)).toEqual([]);
    } finally {
      await lake.cleanup();
    }
  });

  it('on SIGTERM finishes the batch in flight, publishes its file and exits 0', async () => {
    const lake = await makeTestLake();
    try {
      const server = await startChildServer(lake.lake, lake.keysFile, ['--log-level', 'info']);
      const body = Buffer.from(batchBody(7));
      const { port } = new URL(server.url);
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/v1/accelerometer',
            headers: { 'content-type': 'application/x-ndjson', 'content-length': body.length, 'x-api-key': lake.keys.all },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        // Half the body now, the rest after SIGTERM: the request is in flight when the signal lands.
        req.write(body.subarray(0, 100));
        setTimeout(() => {
          server.process.kill('SIGTERM');
          setTimeout(() => req.end(body.subarray(100)), 300);
        }, 100);
      });
      const { status, body: text } = await answer;
      expect([status, JSON.parse(text)]).toEqual([200, { source: 'accelerometer', atomic: false, received: BATCH, accepted: BATCH, rejected: [], warnings: [] }]);
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('all files published');
      expect((await recordCounts(lake.lake)).size).toBe(BATCH);
      expect(await tempFilesLeft(lake.lake)).toEqual([]);
      expect(await readdir(`${lake.lake}/accelerometer/landing`)).toEqual([expect.stringMatching(/^accelerometer-\d{13}\.json$/)]);
    } finally {
      await lake.cleanup();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestService } from '../../src/ingest/service.js';
import { landingLines, makeTestLake, ndjson, openTestService, reading, type TestLake } from './helpers.js';

let lake: TestLake;
let service: IngestService;

beforeEach(async () => {
  lake = await makeTestLake();
  service = await openTestService(lake);
});
afterEach(async () => {
  await service.close();
  await lake.cleanup();
});

function post(body: string, idempotencyKey: string | undefined, apiKey = lake.keys.all) {
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', authorization: `Bearer ${apiKey}` };
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  return service.app.inject({ method: 'POST', url: '/v1/accelerometer', payload: body, headers });
}

const batch = ndjson([reading(1), { ...reading(2), x: null }, reading(3)]);

describe('Idempotency-Key', () => {
  it('stores a retried batch once and answers the retry with the original answer, marked as a replay', async () => {
    const first = await post(batch, 'order-1');
    const retry = await post(batch, 'order-1');
    expect([first.statusCode, first.headers['idempotency-replayed']]).toEqual([207, 'false']);
    expect([retry.statusCode, retry.headers['idempotency-replayed']]).toEqual([207, 'true']);
    expect(retry.body).toBe(first.body);
    await service.close();
    expect(await landingLines(lake.lake, 'accelerometer')).toHaveLength(2);
  });

  it('stores concurrent retries of one batch once', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(batch, 'order-2')));
    expect(answers.map((a) => a.headers['idempotency-replayed']).sort()).toEqual(['false', 'true', 'true', 'true', 'true']);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    await service.close();
    expect(await landingLines(lake.lake, 'accelerometer')).toHaveLength(2);
  });

  it('refuses the same key with a different batch (422) and scopes keys per API key', async () => {
    await post(batch, 'order-3');
    const reused = await post(ndjson([reading(9)]), 'order-3');
    expect([reused.statusCode, reused.json()]).toEqual([
      422,
      { error: { code: 'idempotency_key_reused', message: 'this Idempotency-Key was already used for a different batch' } },
    ]);
    const otherClient = await post(batch, 'order-3', lake.keys.accelerometer);
    expect([otherClient.statusCode, otherClient.headers['idempotency-replayed']]).toEqual([207, 'false']);
    await service.close();
    expect(await landingLines(lake.lake, 'accelerometer')).toHaveLength(4);
  });

  it('remembers keys across a restart (they are committed with the data)', async () => {
    const first = await post(batch, 'order-4');
    await service.close();
    service = await openTestService(lake);
    const retry = await post(batch, 'order-4');
    expect([retry.statusCode, retry.headers['idempotency-replayed'], retry.body]).toEqual([207, 'true', first.body]);
    await service.close();
    expect(await landingLines(lake.lake, 'accelerometer')).toHaveLength(2);
  });

  it('forgets keys after the window: a retry after it is stored again', async () => {
    await service.close();
    service = await openTestService(lake, { idempotencyWindowMs: 100 });
    await post(batch, 'order-5');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const late = await post(batch, 'order-5');
    expect(late.headers['idempotency-replayed']).toBe('false');
    await service.close();
    expect(await landingLines(lake.lake, 'accelerometer')).toHaveLength(4);
  });

  it('rejects malformed keys with 400 and stores nothing', async () => {
    const res = await post(batch, 'has space');
    expect([res.statusCode, res.json()]).toEqual([
      400,
      { error: { code: 'invalid_idempotency_key', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' } },
    ]);
  });
});

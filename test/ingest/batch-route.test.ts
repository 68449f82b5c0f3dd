import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/ingest/api-keys.js';
import type { IngestService } from '../../src/ingest/service.js';
import { landingLines, makeTestLake, ndjson, NOW, openTestService, reading, type TestLake } from './helpers.js';

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

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return service.app.inject({
    method: 'POST',
    url: path,
    payload: body,
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${lake.keys.all}`, ...headers },
  });
}

describe('POST /v1/<source>', () => {
  it('stores a valid NDJSON batch and answers 200 after it is on disk', async () => {
    const res = await post('/v1/accelerometer', ndjson([reading(1), reading(2)]));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ source: 'accelerometer', atomic: false, received: 2, accepted: 2, rejected: [], warnings: [] });
    await service.close();
    expect(await landingLines(lake.lake, 'accelerometer')).toEqual([
      `{"user":"Jo.Doe@test.com","timestamp":${NOW + 1},"x":1,"y":-1.5,"z":0.25}`,
      `{"user":"Jo.Doe@test.com","timestamp":${NOW + 2},"x":2,"y":-1.5,"z":0.25}`,
    ]);
  });

  it('takes a JSON array and writes records in the contract key order', async () => {
    const body = JSON.stringify([{ distanceFromObject: 210, serialNumber: 'SN-1', sensorReadingTime: NOW }]);
    const res = await post('/v1/step_trainer', body, { 'content-type': 'application/json', authorization: '', 'x-api-key': lake.keys.all });
    expect(res.statusCode).toBe(200);
    await service.close();
    expect(await landingLines(lake.lake, 'step_trainer')).toEqual([`{"sensorReadingTime":${NOW},"serialNumber":"SN-1","distanceFromObject":210}`]);
  });

  it('answers 207 with index and reason, storing only the valid records (partial success is the default)', async () => {
    const body = ndjson([reading(1), { ...reading(2), x: 'high' }, reading(3)]) + '{"user": broken\n' + JSON.stringify(reading(4)).replace('0.25', '1e999');
    const res = await post('/v1/accelerometer', body);
    expect(res.statusCode).toBe(207);
    expect(res.json()).toEqual({
      source: 'accelerometer',
      atomic: false,
      received: 5,
      accepted: 2,
      rejected: [
        { index: 1, field: 'x', rule: 'not_a_number', message: 'field "x" must be a number' },
        { index: 3, field: null, rule: 'invalid_json', message: 'line is not valid JSON' },
        { index: 4, field: 'z', rule: 'not_finite', message: 'field "z" must be a finite number' },
      ],
      warnings: [],
    });
    await service.close();
    expect((await landingLines(lake.lake, 'accelerometer')).map((l) => (JSON.parse(l) as { x: number }).x)).toEqual([1, 3]);
  });

  it('with ?atomic=true refuses the whole batch with 422 when one record is invalid', async () => {
    const res = await post('/v1/accelerometer?atomic=true', ndjson([reading(1), { ...reading(2), timestamp: 5 }]));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      source: 'accelerometer',
      atomic: true,
      received: 2,
      accepted: 0,
      rejected: [{ index: 1, field: 'timestamp', rule: 'time_before_2000', message: 'field "timestamp" must be epoch milliseconds on or after 2000-01-01' }],
      warnings: [],
    });
    const ok = await post('/v1/accelerometer?atomic=true', ndjson([reading(3)]));
    expect(ok.statusCode).toBe(200);
    await service.close();
    expect(await landingLines(lake.lake, 'accelerometer')).toHaveLength(1);
  });

  it('stores records with warnings, reports them, and leaves unknown fields out of landing', async () => {
    const res = await post('/v1/accelerometer', ndjson([{ ...reading(1), device: 'pixel' }]));
    expect([res.statusCode, res.json()]).toEqual([
      200,
      {
        source: 'accelerometer',
        atomic: false,
        received: 1,
        accepted: 1,
        rejected: [],
        warnings: [{ index: 0, field: 'device', rule: 'unknown_field', message: 'field "device" is not part of the accelerometer contract and is not stored' }],
      },
    ]);
    expect((await service.app.inject('/metrics')).body).toContain('stedi_ingest_record_warnings_total{source="accelerometer",rule="unknown_field"} 1\n');
    await service.close();
    expect(await landingLines(lake.lake, 'accelerometer')).toEqual([`{"user":"Jo.Doe@test.com","timestamp":${NOW + 1},"x":1,"y":-1.5,"z":0.25}`]);
  });

  it('answers 422 when no record of the batch is valid', async () => {
    const res = await post('/v1/accelerometer', ndjson([{ user: 'a@b.co' }]));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, field: 'timestamp', rule: 'missing_field' }] });
  });

  it('answers 400 for bodies that are not a batch', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await post('/v1/accelerometer', '[{"user":', json)).json()).toEqual({ error: { code: 'invalid_json', message: 'body is not valid JSON' } });
    expect((await post('/v1/accelerometer', JSON.stringify(reading(1)), json)).json()).toEqual({
      error: { code: 'not_a_batch', message: 'a JSON body must be an array of records' },
    });
    const empty = await post('/v1/accelerometer', '\n\n');
    expect([empty.statusCode, empty.json()]).toEqual([400, { error: { code: 'empty_batch', message: 'the batch holds no records' } }]);
  });

  it('answers 415 for other media types', async () => {
    const res = await post('/v1/accelerometer', 'x', { 'content-type': 'text/csv' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('answers 401 without a valid key and 403 outside the key scopes', async () => {
    const none = await post('/v1/accelerometer', ndjson([reading(1)]), { authorization: '' });
    expect([none.statusCode, none.headers['www-authenticate'], none.json()]).toEqual([
      401,
      'Bearer',
      { error: { code: 'unauthorized', message: 'a valid API key is required (Authorization: Bearer <key> or X-API-Key)' } },
    ]);
    expect((await post('/v1/accelerometer', ndjson([reading(1)]), { authorization: `Bearer ${lake.keys.all}x` })).statusCode).toBe(401);
    const scoped = await post('/v1/customer', '[]', { authorization: `Bearer ${lake.keys.accelerometer}` });
    expect([scoped.statusCode, scoped.json()]).toEqual([403, { error: { code: 'forbidden', message: 'this API key may not write customer' } }]);
    expect((await post('/v1/accelerometer', ndjson([reading(1)]), { authorization: `Bearer ${lake.keys.accelerometer}` })).statusCode).toBe(200);
  });

  it('stops accepting a revoked key once the keys file is reloaded', async () => {
    await revokeApiKey(lake.keysFile, 'app');
    await service.reloadKeys();
    const res = await post('/v1/accelerometer', ndjson([reading(1)]), { authorization: `Bearer ${lake.keys.accelerometer}` });
    expect(res.statusCode).toBe(401);
  });

  it('never routes a path built from input: unknown sources and traversal are 404', async () => {
    for (const url of ['/v1/customer_trusted', '/v1/..%2f_stedi', '/v1/../customer', '/v1/accelerometer/../../etc']) {
      const res = await post(url, ndjson([reading(1)]));
      expect([url, res.statusCode]).toEqual([url, 404]);
    }
  });
});

describe('limits', () => {
  it('answers 413 above the body size and above the record count', async () => {
    await service.close();
    service = await openTestService(lake, { maxBodyBytes: 1024, maxRecords: 3 });
    const big = await post('/v1/accelerometer', ndjson(Array.from({ length: 20 }, (_, i) => reading(i))));
    expect([big.statusCode, big.json()]).toMatchObject([413, { error: { code: 'body_too_large' } }]);
    const many = await post('/v1/accelerometer', ndjson(Array.from({ length: 4 }, (_, i) => reading(i))));
    expect([many.statusCode, many.json()]).toEqual([413, { error: { code: 'too_many_records', message: 'a batch may hold at most 3 records' } }]);
    await service.close();
    expect(await landingLines(lake.lake, 'accelerometer')).toEqual([]);
  });

  it('answers 429 with Retry-After once a key exceeds its rate; other keys are unaffected', async () => {
    await service.close();
    service = await openTestService(lake, { ratePerSecond: 0.5, rateBurst: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/v1/accelerometer', ndjson([reading(i)]))).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await post('/v1/accelerometer', ndjson([reading(9)]));
    expect([limited.headers['retry-after'], limited.json()]).toEqual([
      '2',
      { error: { code: 'rate_limited', message: 'request rate limit for this API key exceeded' } },
    ]);
    expect((await post('/v1/accelerometer', ndjson([reading(1)]), { authorization: `Bearer ${lake.keys.accelerometer}` })).statusCode).toBe(200);
  });
});

describe('operations', () => {
  it('logs one structured line per batch without bodies, emails or keys', async () => {
    await service.close();
    const lines: string[] = [];
    service = await openTestService(lake, { logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } });
    await post('/v1/accelerometer', ndjson([reading(1, 'Private.Person@example.com'), { ...reading(2), user: 'Other.Person@example' }]), {
      'idempotency-key': 'k-1',
    });
    await post('/v1/customer', '[]', { authorization: `Bearer ${lake.keys.accelerometer}` });
    const batchLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'batch stored');
    expect(batchLines.map(({ source, key, status, accepted, rejected }) => ({ source, key, status, accepted, rejected }))).toEqual([
      { source: 'accelerometer', key: 'all', status: 207, accepted: 1, rejected: 1 },
    ]);
    const everything = lines.join('');
    for (const secret of ['Private.Person', 'Other.Person', lake.keys.all, lake.keys.accelerometer, 'timestamp']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('answers /healthz and /readyz', async () => {
    expect((await service.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await service.app.inject('/readyz');
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('exports records accepted and rejected per source and reason, bytes and latency', async () => {
    await post('/v1/accelerometer', ndjson([reading(1), { ...reading(2), z: 'x' }]));
    await post('/v1/accelerometer?atomic=true', ndjson([reading(3), { ...reading(4), user: 'x' }]));
    const text = (await service.app.inject('/metrics')).body;
    const line = reading(1);
    expect(text).toContain('stedi_ingest_records_accepted_total{source="accelerometer"} 1\n');
    expect(text).toContain('stedi_ingest_records_rejected_total{source="accelerometer",reason="not_a_number"} 1\n');
    expect(text).toContain('stedi_ingest_records_rejected_total{source="accelerometer",reason="not_an_email"} 1\n');
    expect(text).toContain('stedi_ingest_records_rejected_total{source="accelerometer",reason="atomic_batch"} 1\n');
    expect(text).toContain(`stedi_ingest_bytes_written_total{source="accelerometer"} ${JSON.stringify(line).length + 1}\n`);
    expect(text).toContain('stedi_ingest_request_duration_seconds_count{route="/v1/accelerometer",status="207"} 1\n');
    expect(text).toContain('stedi_ingest_request_duration_seconds_count{route="/v1/accelerometer",status="422"} 1\n');
  });
});

/**
 * The five jobs on hand-written records, one DESIGN.md rule at a time, with the expected rows
 * written out by hand. The generator-based tests cover scale; these pin the exact semantics.
 */
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/runner.js';
import type { Policy } from '../../src/pipeline/model.js';
import { readTable, tempDir, TEST_KEY, writeLanding } from '../helpers/lake-files.js';
import crypto from 'node:crypto';
import { engineUnderTest } from '../engines/engine-under-test.js';

const T0 = 1_655_000_000_000;

function customer(email: string, serial: string, consent: number | null, lastUpdate = T0, extra: object = {}): object {
  return {
    customerName: 'Some One',
    email,
    phone: '8015551212',
    birthDay: '1990-01-01',
    serialNumber: serial,
    registrationDate: T0,
    lastUpdateDate: lastUpdate,
    shareWithResearchAsOfDate: consent,
    shareWithPublicAsOfDate: null,
    shareWithFriendsAsOfDate: null,
    ...extra,
  };
}
const accel = (user: string, timestamp: number, x = 0.5): object => ({ user, timestamp, x, y: -0.25, z: 1 });
const step = (serialNumber: string, sensorReadingTime: number, distanceFromObject = 300): object => ({
  sensorReadingTime,
  serialNumber,
  distanceFromObject,
});
const subject = (email: string): string => crypto.createHmac('sha256', TEST_KEY).update(email).digest('hex');

async function lakeWith(customers: object[], accelerometer: object[], steps: object[]): Promise<string> {
  const lake = await tempDir('semantics');
  await writeLanding(lake, 'customer', customers);
  await writeLanding(lake, 'accelerometer', accelerometer);
  await writeLanding(lake, 'step_trainer', steps);
  return lake;
}

async function run(lake: string, policy: Policy = 'strict'): Promise<void> {
  await runPipeline({ lake, policy, pseudonymKey: TEST_KEY, engine: await engineUnderTest() });
}

describe('job semantics on hand-written records', () => {
  it('keeps the latest state per email (trimmed, lower-cased) and drops withdrawn consent', async () => {
    const lake = await lakeWith(
      [
        customer('Ann@X.com', 's-ann', T0, T0),
        customer(' ann@x.com ', 's-ann', T0, T0 + 10, { phone: '111' }), // later re-export wins
        customer('bob@x.com', 's-bob', T0, T0),
        customer('BOB@x.com', 's-bob', null, T0 + 5), // withdrawn later
        customer('cy@x.com', 's-cy', null, T0),
        customer('cy@x.com', 's-cy', T0 + 7, T0 + 9), // consent granted later
        customer('dup@x.com', 's-dup', T0, T0),
        customer('dup@x.com', 's-dup', T0, T0), // exact re-export
      ],
      [accel('ann@x.com', T0 + 100)],
      [step('s-ann', T0 + 100)],
    );
    await run(lake);
    const trusted = await readTable(lake, 'customer_trusted');
    expect(trusted.map((c) => [c.email, c.phone, c.share_with_research_as_of_date])).toEqual([
      ['ann@x.com', '111', T0],
      ['cy@x.com', '8015551212', T0 + 7],
      ['dup@x.com', '8015551212', T0],
    ]);
  });

  it('holds back a customer whose latest records disagree', async () => {
    const lake = await lakeWith(
      [customer('tie@x.com', 's-1', T0, T0, { phone: '1' }), customer('tie@x.com', 's-1', T0, T0, { phone: '2' })],
      [accel('tie@x.com', T0 + 1)],
      [step('s-1', T0 + 1)],
    );
    await run(lake);
    expect(await readTable(lake, 'customer_trusted')).toEqual([]);
    expect(await readTable(lake, 'machine_learning_curated')).toEqual([]);
  });

  it('keeps readings from the consent date on (strict) or all of them (lenient), duplicates once', async () => {
    const consent = T0 + 1000;
    const lake = await lakeWith(
      [customer('a@x.com', 's-a', consent), customer('no@x.com', 's-no', null)],
      [
        accel('a@x.com', consent - 1),
        accel('a@x.com', consent),
        accel('a@x.com', consent), // exact duplicate
        accel('a@x.com', consent, 0.75), // same instant, other values: a real second reading
        accel('no@x.com', consent),
        accel('stranger@x.com', consent),
      ],
      [step('s-a', consent - 1), step('s-a', consent)],
    );
    await run(lake, 'strict');
    const strict = await readTable(lake, 'accelerometer_trusted');
    expect(strict.map((r) => [r.email, r.reading_time, r.x])).toEqual([
      ['a@x.com', consent, 0.5],
      ['a@x.com', consent, 0.75],
    ]);
    expect((await readTable(lake, 'step_trainer_trusted')).map((r) => r.sensor_reading_time)).toEqual([consent]);
    expect(await readTable(lake, 'machine_learning_curated')).toHaveLength(2);

    await run(lake, 'lenient');
    expect(await readTable(lake, 'accelerometer_trusted')).toHaveLength(3);
    expect(await readTable(lake, 'step_trainer_trusted')).toHaveLength(2);
    expect(await readTable(lake, 'machine_learning_curated')).toHaveLength(3);
  });

  it('curates only trusted customers with accelerometer readings', async () => {
    const lake = await lakeWith(
      [customer('a@x.com', 's-a', T0), customer('quiet@x.com', 's-q', T0)],
      [accel('a@x.com', T0 + 5)],
      [step('s-a', T0 + 5), step('s-q', T0 + 5)],
    );
    await run(lake);
    expect((await readTable(lake, 'customer_curated')).map((c) => c.email)).toEqual(['a@x.com']);
    expect((await readTable(lake, 'step_trainer_trusted')).map((r) => r.serial_number)).toEqual(['s-a']);
  });

  it('holds back serial numbers claimed by two current customers, consenting or not', async () => {
    const lake = await lakeWith(
      [
        customer('a@x.com', 'shared', T0),
        customer('b@x.com', 'shared', null),
        customer('c@x.com', 'was-shared', T0),
        customer('d@x.com', 'was-shared', T0, T0),
        customer('d@x.com', 'new-serial', T0, T0 + 1), // d moved on: only current states count
      ],
      [accel('a@x.com', T0 + 5), accel('c@x.com', T0 + 5), accel('d@x.com', T0 + 5)],
      [step('shared', T0 + 5), step('was-shared', T0 + 5)],
    );
    await run(lake);
    expect((await readTable(lake, 'step_trainer_trusted')).map((r) => r.serial_number)).toEqual(['was-shared']);
  });

  it('collapses exact duplicate step readings and holds back keys whose distances disagree', async () => {
    const lake = await lakeWith(
      [customer('a@x.com', 's-a', T0)],
      [accel('a@x.com', T0 + 1), accel('a@x.com', T0 + 2), accel('a@x.com', T0 + 3)],
      [step('s-a', T0 + 1, 300), step('s-a', T0 + 1, 300), step('s-a', T0 + 2, 300), step('s-a', T0 + 2, 301), step('s-a', T0 + 3, 5)],
    );
    await run(lake);
    expect((await readTable(lake, 'step_trainer_trusted')).map((r) => [r.sensor_reading_time, r.distance_from_object])).toEqual([
      [T0 + 1, 300],
      [T0 + 3, 5],
    ]);
  });

  it('pairs readings of the same customer only, never strangers at the same millisecond', async () => {
    const t = T0 + 50;
    const lake = await lakeWith(
      [customer('a@x.com', 's-a', T0), customer('b@x.com', 's-b', T0)],
      [accel('a@x.com', t, 0.1), accel('a@x.com', t, 0.2), accel('b@x.com', t, 0.9)],
      [step('s-a', t, 111), step('s-b', t, 222)],
    );
    await run(lake);
    const ml = await readTable(lake, 'machine_learning_curated');
    expect(ml).toEqual(
      [
        { subject_id: subject('a@x.com'), sensor_reading_time: t, distance_from_object: 111, x: 0.1, y: -0.25, z: 1 },
        { subject_id: subject('a@x.com'), sensor_reading_time: t, distance_from_object: 111, x: 0.2, y: -0.25, z: 1 },
        { subject_id: subject('b@x.com'), sensor_reading_time: t, distance_from_object: 222, x: 0.9, y: -0.25, z: 1 },
      ].sort((p, q) => (JSON.stringify(p) < JSON.stringify(q) ? -1 : 1)),
    );
  });
});

describe('absent consent dates', () => {
  it('read as no consent (like null), never as a bad record', async () => {
    const withoutKeys = (email: string, serial: string, research?: number): object => {
      const { shareWithResearchAsOfDate: _r, shareWithPublicAsOfDate: _p, shareWithFriendsAsOfDate: _f, ...rest } = customer(email, serial, null) as Record<string, unknown>;
      return research === undefined ? rest : { ...rest, shareWithResearchAsOfDate: research };
    };
    const lake = await lakeWith(
      [withoutKeys('a@x.com', 's-a', T0), withoutKeys('b@x.com', 's-b')],
      [accel('a@x.com', T0 + 5), accel('b@x.com', T0 + 5)],
      [step('s-a', T0 + 5), step('s-b', T0 + 5)],
    );
    const result = await runPipeline({ lake, pseudonymKey: TEST_KEY, engine: await engineUnderTest() });
    const job = result.jobs.find((j) => j.job === 'customer_landing_to_trusted');
    expect(job?.ledger.quarantined).toEqual({});
    expect(job?.ledger.removed).toEqual({ no_consent: 1 });
    expect((await readTable(lake, 'customer_trusted')).map((c) => [c.email, c.share_with_public_as_of_date])).toEqual([['a@x.com', null]]);
    expect(await readTable(lake, 'machine_learning_curated')).toHaveLength(1);
  });
});

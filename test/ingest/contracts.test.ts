import { describe, expect, it } from 'vitest';
import { checkLandingRecord, LANDING_CONTRACTS, landingWarnings, type LandingRule } from '../../src/contracts/landing.js';
import { LANDING_SOURCES, LANDING_TABLE, TABLES, type LandingSource } from '../../src/lake/tables.js';
import { NOW } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

const valid: Record<LandingSource, Record<string, unknown>> = {
  customer: {
    customerName: 'Jo Doe',
    email: ' Jo.Doe@Test.com ',
    phone: '8015551212',
    birthDay: '1980-02-29',
    serialNumber: '7f6c2a2e-6d3b-4f0e-9a51-3c1f0b8b9d11',
    registrationDate: NOW - 1000,
    lastUpdateDate: NOW,
    shareWithResearchAsOfDate: NOW,
    shareWithPublicAsOfDate: null,
    shareWithFriendsAsOfDate: null,
  },
  accelerometer: { user: 'Jo.Doe@test.com', timestamp: NOW, x: -1.5, y: 0, z: 9.81 },
  step_trainer: { sensorReadingTime: NOW, serialNumber: '7f6c2a2e-6d3b-4f0e-9a51-3c1f0b8b9d11', distanceFromObject: 0 },
};

function check(source: LandingSource, changes: Record<string, unknown>, remove: string[] = []) {
  const record: Record<string, unknown> = { ...valid[source], ...changes };
  for (const key of remove) delete record[key];
  return checkLandingRecord(source, record, NOW);
}

describe('landing contract', () => {
  it('names exactly the landing columns of tables.ts, in their order', () => {
    for (const source of LANDING_SOURCES) {
      expect(LANDING_CONTRACTS[source].map((f) => f.name)).toEqual(TABLES[LANDING_TABLE[source]].columns.map((c) => c.name));
    }
  });

  it('accepts a conforming record of every source', () => {
    for (const source of LANDING_SOURCES) expect(check(source, {})).toBeUndefined();
  });

  const cases: [LandingSource, Record<string, unknown>, string | undefined, LandingRule][] = [
    ['customer', { email: 'not-an-email' }, 'email', 'not_an_email'],
    ['customer', { email: 'a@b' }, 'email', 'not_an_email'],
    ['customer', { email: 'a b@c.com' }, 'email', 'not_an_email'],
    ['customer', { email: 42 }, 'email', 'not_a_string'],
    ['customer', { customerName: null }, 'customerName', 'not_a_string'],
    ['customer', { phone: 8015551212 }, 'phone', 'not_a_string'],
    ['customer', { birthDay: 19800229 }, 'birthDay', 'not_a_string'],
    ['customer', { serialNumber: ' ' }, 'serialNumber', 'empty_string'],
    ['customer', { registrationDate: '1700000000000' }, 'registrationDate', 'not_a_number'],
    ['customer', { registrationDate: NOW + 0.5 }, 'registrationDate', 'not_an_integer'],
    ['customer', { lastUpdateDate: Date.UTC(1999, 11, 31, 23, 59, 59, 999) }, 'lastUpdateDate', 'time_before_2000'],
    ['customer', { shareWithResearchAsOfDate: NOW + DAY + 1 }, 'shareWithResearchAsOfDate', 'time_in_future'],
    ['customer', { shareWithPublicAsOfDate: false }, 'shareWithPublicAsOfDate', 'not_a_number'],
    ['accelerometer', { z: Number.POSITIVE_INFINITY }, 'z', 'not_finite'],
    ['accelerometer', { x: '1.0' }, 'x', 'not_a_number'],
    ['accelerometer', { y: null }, 'y', 'not_a_number'],
    ['accelerometer', { user: 'nobody' }, 'user', 'not_an_email'],
    ['accelerometer', { timestamp: 1_000 }, 'timestamp', 'time_before_2000'],
    ['step_trainer', { distanceFromObject: -1 }, 'distanceFromObject', 'negative'],
    ['step_trainer', { distanceFromObject: 12.5 }, 'distanceFromObject', 'not_an_integer'],
    ['step_trainer', { serialNumber: '' }, 'serialNumber', 'empty_string'],
    ['step_trainer', { sensorReadingTime: NOW + 2 * DAY }, 'sensorReadingTime', 'time_in_future'],
  ];
  it.each(cases)('%s %j breaks %s with rule %s', (source, changes, field, rule) => {
    expect(check(source, changes)).toMatchObject({ field, rule });
  });

  it('keeps records with odd birthdays, non-digit phones and unknown fields, as warnings', () => {
    const record = { ...valid.customer, birthDay: '1981-02-29', phone: '+1 801 555', nickname: 'JD' };
    expect(checkLandingRecord('customer', record, NOW)).toBeUndefined();
    expect(landingWarnings('customer', record, NOW).map((w) => [w.field, w.rule])).toEqual([
      ['phone', 'phone_not_digits'],
      ['birthDay', 'odd_birthday'],
      ['nickname', 'unknown_field'],
    ]);
    const dates = ['1899-12-31', '2024-01-16', '02/03/1980', '1980-02-29', '2024-01-15'];
    expect(dates.map((birthDay) => landingWarnings('customer', { ...valid.customer, birthDay }, NOW).length)).toEqual([1, 1, 1, 0, 0]);
    expect(landingWarnings('customer', valid.customer, NOW)).toEqual([]);
  });

  it('accepts the boundaries of the plausible time window and null consent', () => {
    expect(check('customer', { registrationDate: Date.UTC(2000, 0, 1), shareWithResearchAsOfDate: null })).toBeUndefined();
    expect(check('step_trainer', { sensorReadingTime: NOW + DAY })).toBeUndefined();
  });

  it('reports a missing field by name and a non-object record as a whole', () => {
    expect(check('accelerometer', {}, ['z'])).toEqual({ field: 'z', rule: 'missing_field', message: 'field "z" is missing' });
    expect(checkLandingRecord('accelerometer', [1, 2], NOW)).toMatchObject({ field: undefined, rule: 'not_an_object' });
    expect(checkLandingRecord('accelerometer', null, NOW)).toMatchObject({ rule: 'not_an_object' });
  });

  it('never quotes the offending value in its message (values may be personal data)', () => {
    const violation = check('customer', { email: 'secret.person@nowhere' });
    expect(violation?.message).toBe('field "email" must look like an email address');
  });
});

describe('absent consent dates', () => {
  it('are valid (no consent), like null; other fields must be present', () => {
    const record = {
      customerName: 'A',
      email: 'a@x.com',
      phone: '1',
      birthDay: '1990-01-01',
      serialNumber: 's',
      registrationDate: Date.UTC(2022, 0, 1),
      lastUpdateDate: Date.UTC(2022, 0, 1),
    };
    expect(checkLandingRecord('customer', record, Date.UTC(2026, 0, 1))).toBeUndefined();
    const { lastUpdateDate: _omitted, ...noUpdate } = record;
    expect(checkLandingRecord('customer', noUpdate, Date.UTC(2026, 0, 1))?.rule).toBe('missing_field');
  });
});

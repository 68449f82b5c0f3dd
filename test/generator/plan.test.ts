/** The plan puts every realistic shape and every surprise into a lake of ~100 customers. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FRACTIONS } from '../../src/generator/config.js';
import { planLake, type ConsentTiming, type HistoryKind, type SessionPlan } from '../../src/generator/plan.js';

const plan = planLake(21, 100, DEFAULT_FRACTIONS);
const count = <T>(values: readonly T[], value: T): number => values.filter((v) => v === value).length;

describe('planLake', () => {
  it('uses every record history and consent timing', () => {
    const histories = plan.customers.map((c) => c.history);
    const all: HistoryKind[] = [
      'single',
      'plainUpdate',
      'withdrawnConsent',
      'grantedLater',
      'exactDuplicateRecord',
      'emailVariantLater',
      'emailVariantSameDate',
      'olderRecordExportedLater',
      'conflictingCurrentState',
    ];
    for (const kind of all) expect(count(histories, kind), kind).toBeGreaterThan(0);
    const timings = plan.customers.map((c) => c.consentTiming);
    const allTimings: ConsentTiming[] = ['none', 'atRegistration', 'laterBeforeSession', 'midSession', 'afterSession'];
    for (const timing of allTimings) expect(count(timings, timing), timing).toBeGreaterThan(0);
    expect(count(timings, 'none')).toBeGreaterThan(25);
    expect(count(timings, 'none')).toBeLessThan(75);
  });

  it('places mid-session consent inside the session', () => {
    for (const c of plan.customers.filter((p) => p.consentTiming === 'midSession')) {
      // The planned consent date is the one that is not the registration date (other records of
      // the same customer may carry none, or the registration date, by design).
      const records = [...c.firstExport, ...c.reExport];
      const consent = records.find((r) => r.shareWithResearchAsOfDate !== null && r.shareWithResearchAsOfDate !== r.registrationDate)
        ?.shareWithResearchAsOfDate;
      if (consent === undefined || consent === null) throw new Error(`customer ${c.index} has no mid-session consent`);
      expect(consent).toBeGreaterThan(c.session.start);
      expect(consent).toBeLessThan(c.session.start + c.session.instants * c.session.periodMs);
    }
  });

  it('gives every session surprise to at least one customer', () => {
    const flags: (keyof SessionPlan)[] = [
      'noAccelerometerReadings',
      'noStepTrainerReadings',
      'userVariant',
      'strangerReadings',
      'orphanSerialReadings',
      'duplicateAccelerometerReading',
      'duplicateStepTrainerReading',
      'conflictingStepTrainerReading',
    ];
    for (const flag of flags) expect(plan.customers.some((c) => c.session[flag] === true), flag).toBe(true);
  });

  it('shares serials within the planned pairs, and sessions start at shared instants', () => {
    expect(plan.sharedSerialPairs.length).toBeGreaterThan(0);
    for (const [a, b] of plan.sharedSerialPairs) {
      expect(plan.customers[a]?.serialNumber).toBe(plan.customers[b]?.serialNumber);
    }
    const starts = new Set(plan.customers.map((c) => c.session.start));
    expect(starts.size).toBeLessThan(plan.customers.length / 5);
  });

  it('keeps tiny lakes plain', () => {
    const tiny = planLake(21, 5, DEFAULT_FRACTIONS);
    expect(tiny.customers.every((c) => c.history === 'single' && c.reExport.length === 0)).toBe(true);
    expect(tiny.sharedSerialPairs).toEqual([]);
  });
});

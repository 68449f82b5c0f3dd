/**
 * Plans every customer before any reading is written: identity, landing records (first export and
 * re-export), consent, and which surprises their session carries. Customers are small (a few
 * hundred bytes each), so the whole plan fits in memory even at 100k+ customers; the readings,
 * which are large, are produced later one session at a time from this plan.
 */
import {
  DAY_MS,
  INSTANTS_PER_SESSION,
  INSTANT_PERIODS_MS,
  MIN_CUSTOMERS_FOR_SURPRISES,
  RESEARCH_CONSENT_SHARE,
  SESSION_WINDOW,
  type SurpriseFractions,
} from './config.js';
import { emailVariant, identityFor, normalBirthday, oddBirthday, phoneNumber } from './identity.js';
import { Prng } from './prng.js';
import type { CustomerRecord } from './records.js';

export type HistoryKind =
  | 'single'
  | 'plainUpdate'
  | 'withdrawnConsent'
  | 'grantedLater'
  | 'exactDuplicateRecord'
  | 'emailVariantLater'
  | 'emailVariantSameDate'
  | 'olderRecordExportedLater'
  | 'conflictingCurrentState';

export type ConsentTiming = 'none' | 'atRegistration' | 'laterBeforeSession' | 'midSession' | 'afterSession';

export interface SessionPlan {
  /** Time of the first step-trainer reading; shared by every customer of the same slot. */
  readonly start: number;
  readonly periodMs: number;
  readonly instants: number;
  readonly noAccelerometerReadings: boolean;
  readonly noStepTrainerReadings: boolean;
  readonly userVariant: boolean;
  readonly strangerReadings: boolean;
  readonly orphanSerialReadings: boolean;
  readonly duplicateAccelerometerReading: boolean;
  readonly duplicateStepTrainerReading: boolean;
  readonly conflictingStepTrainerReading: boolean;
}

export interface CustomerPlan {
  readonly index: number;
  /** The email as first registered; readings use it (or a variant of it) as `user`. */
  readonly email: string;
  readonly serialNumber: string;
  readonly history: HistoryKind;
  readonly consentTiming: ConsentTiming;
  /** Records of the first export, then of the later re-export (written to a later file). */
  readonly firstExport: readonly CustomerRecord[];
  readonly reExport: readonly CustomerRecord[];
  readonly session: SessionPlan;
}

export interface LakePlan {
  readonly seed: number;
  readonly customers: readonly CustomerPlan[];
  /** Pairs of customer indexes that share one serial number. */
  readonly sharedSerialPairs: readonly (readonly [number, number])[];
}

interface Slot {
  readonly start: number;
  readonly periodMs: number;
}

/**
 * Few slots for many customers: customers of one slot read at exactly the same milliseconds, the
 * situation in which a join on time alone would pair strangers.
 */
function planSlots(customers: number, prng: Prng): Slot[] {
  const count = Math.max(3, Math.round(Math.sqrt(customers)));
  return Array.from({ length: count }, () => ({
    start: SESSION_WINDOW.start + prng.int(0, SESSION_WINDOW.days) * DAY_MS + prng.int(0, DAY_MS - 1),
    periodMs: prng.pick(INSTANT_PERIODS_MS),
  }));
}

/** A quota: the fraction of `of`, at least one once the lake is big enough to hold surprises. */
function quota(fraction: number, of: number, customers: number): number {
  if (customers < MIN_CUSTOMERS_FOR_SURPRISES || fraction <= 0) return 0;
  return Math.min(of, Math.max(1, Math.round(fraction * of)));
}

/**
 * Picks `count` indexes: the first is `first` (a plain consenting customer, so the case surely
 * reaches the trusted and curated tables even in a small lake), the rest anyone.
 */
function pickIndexes(count: number, first: number | undefined, all: readonly number[], prng: Prng): Set<number> {
  const chosen = new Set<number>();
  if (count === 0) return chosen;
  if (first !== undefined) chosen.add(first);
  for (const i of prng.shuffled(all)) {
    if (chosen.size >= count) break;
    chosen.add(i);
  }
  return chosen;
}

/** Assigns the mutually exclusive record histories from one shuffled order of customers. */
function planHistories(customers: number, fractions: SurpriseFractions, prng: Prng): HistoryKind[] {
  const histories: HistoryKind[] = new Array<HistoryKind>(customers).fill('single');
  const order = prng.shuffled(Array.from({ length: customers }, (_, i) => i));
  let next = 0;
  const kinds: [Exclude<HistoryKind, 'single'>, number][] = [
    ['conflictingCurrentState', fractions.conflictingCurrentState],
    ['withdrawnConsent', fractions.withdrawnConsent],
    ['grantedLater', fractions.grantedLater],
    ['exactDuplicateRecord', fractions.exactDuplicateRecord],
    ['emailVariantLater', fractions.emailVariantLater],
    ['emailVariantSameDate', fractions.emailVariantSameDate],
    ['olderRecordExportedLater', fractions.olderRecordExportedLater],
    ['plainUpdate', fractions.plainUpdate],
  ];
  for (const [kind, fraction] of kinds) {
    // Conflicting states come in two flavours (phone vs consent), so plan at least two.
    const wanted = quota(fraction, customers, customers) * (kind === 'conflictingCurrentState' ? 2 : 1);
    for (let n = 0; n < wanted && next < order.length; n++) histories[order[next++] as number] = kind;
  }
  return histories;
}

function planConsent(histories: readonly HistoryKind[], fractions: SurpriseFractions, prng: Prng): ConsentTiming[] {
  const consenting = histories.map((h) => {
    if (h === 'withdrawnConsent') return false;
    if (h === 'grantedLater') return true;
    return prng.chance(RESEARCH_CONSENT_SHARE);
  });
  const timings: ConsentTiming[] = consenting.map((c) => (c ? 'atRegistration' : 'none'));
  const consentingIndexes = prng.shuffled(consenting.flatMap((c, i) => (c ? [i] : [])));
  let next = 0;
  const special: [ConsentTiming, number][] = [
    ['midSession', fractions.consentMidSession],
    ['afterSession', fractions.consentAfterSession],
    ['laterBeforeSession', fractions.consentLaterBeforeSession],
  ];
  for (const [timing, fraction] of special) {
    const wanted = quota(fraction, consentingIndexes.length, histories.length);
    for (let n = 0; n < wanted && next < consentingIndexes.length; n++) timings[consentingIndexes[next++] as number] = timing;
  }
  return timings;
}

interface RecordContext {
  readonly base: CustomerRecord;
  readonly consent: number | null;
  readonly sessionEnd: number;
  readonly variant: string;
  readonly otherPhone: string;
}

/** The landing records that express a customer's history; the current state is what the rules find. */
function recordsFor(history: HistoryKind, ctx: RecordContext, prng: Prng): [CustomerRecord[], CustomerRecord[]] {
  const { base, consent, variant, otherPhone } = ctx;
  const later = (after: number): number => after + prng.int(DAY_MS / 24, 30 * DAY_MS);
  switch (history) {
    case 'single':
      return [[base], []];
    case 'plainUpdate':
      return [[base], [{ ...base, phone: otherPhone, lastUpdateDate: later(base.lastUpdateDate) }]];
    case 'withdrawnConsent': {
      const consented = { ...base, shareWithResearchAsOfDate: base.registrationDate };
      return [[consented], [{ ...base, shareWithResearchAsOfDate: null, lastUpdateDate: later(ctx.sessionEnd) }]];
    }
    case 'grantedLater': {
      const before = { ...base, shareWithResearchAsOfDate: null, lastUpdateDate: base.registrationDate };
      return [[before], [{ ...base, lastUpdateDate: later(Math.max(base.lastUpdateDate, before.lastUpdateDate)) }]];
    }
    case 'exactDuplicateRecord':
      return [[base], [{ ...base }]];
    case 'emailVariantLater':
      return [[base], [{ ...base, email: variant, lastUpdateDate: later(base.lastUpdateDate) }]];
    case 'emailVariantSameDate':
      return [[base], [{ ...base, email: variant }]];
    case 'olderRecordExportedLater': {
      const flipped = consent === null ? base.registrationDate : null;
      const older = { ...base, phone: otherPhone, shareWithResearchAsOfDate: flipped, lastUpdateDate: base.lastUpdateDate - DAY_MS };
      return [[base], [older]];
    }
    case 'conflictingCurrentState': {
      const older = { ...base, phone: otherPhone, lastUpdateDate: base.lastUpdateDate - DAY_MS };
      // Either the phone differs, or one copy consents and the other does not.
      const rival = prng.chance(0.5)
        ? { ...base, phone: otherPhone }
        : { ...base, shareWithResearchAsOfDate: consent === null ? base.registrationDate : null };
      return [[older, base], [rival]];
    }
  }
}

function consentDate(timing: ConsentTiming, registration: number, session: SessionPlan, prng: Prng): number | null {
  const sessionEnd = session.start + session.instants * session.periodMs;
  switch (timing) {
    case 'none':
      return null;
    case 'atRegistration':
      return registration;
    case 'laterBeforeSession':
      return prng.int(registration + 1, session.start - 1);
    case 'midSession': {
      // Exactly at an instant half the time: the boundary (>=) must keep that instant.
      const instant = session.start + prng.int(3, session.instants - 4) * session.periodMs;
      return instant + (prng.chance(0.5) ? 0 : 1);
    }
    case 'afterSession':
      return sessionEnd + prng.int(DAY_MS / 24, 60 * DAY_MS);
  }
}

export function planLake(seed: number, customers: number, fractions: SurpriseFractions): LakePlan {
  const prng = new Prng(seed, 'plan');
  const slots = planSlots(customers, prng);
  const histories = planHistories(customers, fractions, prng);
  const timings = planConsent(histories, fractions, prng);
  const all = Array.from({ length: customers }, (_, i) => i);
  // First carriers of each reading surprise: distinct plain consenting customers, so that every
  // surprise reaches the trusted tables at least once and no two surprises mask each other there.
  const plainConsenting = prng.shuffled(all.filter((i) => histories[i] === 'single' && timings[i] === 'atRegistration'));
  const sharedSerialPairs = planSharedSerials(customers, fractions, plainConsenting, all, prng);
  const flag = (fraction: number): Set<number> => {
    const count = quota(fraction, customers, customers);
    return pickIndexes(count, count > 0 ? plainConsenting.pop() : undefined, all, prng);
  };
  const noAccelerometer = flag(fractions.noAccelerometerReadings);
  const noStepTrainer = flag(fractions.noStepTrainerReadings);
  const userVariant = flag(fractions.userVariant);
  const stranger = flag(fractions.strangerReadings);
  const orphan = flag(fractions.orphanSerialReadings);
  const duplicateAccelerometer = flag(fractions.duplicateAccelerometerReading);
  const duplicateStepTrainer = flag(fractions.duplicateStepTrainerReading);
  const conflictingStepTrainer = flag(fractions.conflictingStepTrainerReading);
  const oddBirthdays = flag(fractions.oddBirthday);

  const serials = all.map(() => prng.uuid());
  for (const [a, b] of sharedSerialPairs) serials[b] = serials[a] as string;

  const plans: CustomerPlan[] = all.map((index) => {
    const identity = identityFor(index, prng);
    const slot = prng.pick(slots);
    const session: SessionPlan = {
      start: slot.start,
      periodMs: slot.periodMs,
      instants: prng.int(INSTANTS_PER_SESSION.min, INSTANTS_PER_SESSION.max),
      noAccelerometerReadings: noAccelerometer.has(index),
      noStepTrainerReadings: noStepTrainer.has(index),
      userVariant: userVariant.has(index),
      strangerReadings: stranger.has(index),
      orphanSerialReadings: orphan.has(index),
      duplicateAccelerometerReading: duplicateAccelerometer.has(index),
      duplicateStepTrainerReading: duplicateStepTrainer.has(index),
      conflictingStepTrainerReading: conflictingStepTrainer.has(index),
    };
    const registration = slot.start - prng.int(DAY_MS, 365 * DAY_MS);
    const timing = timings[index] as ConsentTiming;
    const consent = consentDate(timing, registration, session, prng);
    const base: CustomerRecord = {
      customerName: identity.customerName,
      email: identity.email,
      phone: identity.phone,
      birthDay: oddBirthdays.has(index) ? oddBirthday(prng) : normalBirthday(prng),
      serialNumber: serials[index] as string,
      registrationDate: registration,
      lastUpdateDate: Math.max(registration, consent ?? registration),
      shareWithResearchAsOfDate: consent,
      shareWithPublicAsOfDate: prng.chance(0.5) ? registration : null,
      shareWithFriendsAsOfDate: prng.chance(0.5) ? registration : null,
    };
    const history = histories[index] as HistoryKind;
    const [firstExport, reExport] = recordsFor(
      history,
      {
        base,
        consent,
        sessionEnd: session.start + session.instants * session.periodMs,
        variant: emailVariant(identity.email, prng),
        otherPhone: phoneNumber(prng),
      },
      prng,
    );
    return { index, email: identity.email, serialNumber: base.serialNumber, history, consentTiming: timing, firstExport, reExport, session };
  });
  return { seed, customers: plans, sharedSerialPairs };
}

/**
 * Pairs of customers sharing a serial. The first pair is two plain consenting customers taken off
 * `plainConsenting` (so the ambiguity removes readings that would otherwise be curated); the
 * others are anyone.
 */
function planSharedSerials(
  customers: number,
  fractions: SurpriseFractions,
  plainConsenting: number[],
  all: readonly number[],
  prng: Prng,
): [number, number][] {
  const pairs = Math.floor(quota(fractions.sharedSerial, customers, customers) / 2) + (customers >= MIN_CUSTOMERS_FOR_SURPRISES ? 1 : 0);
  const used = new Set<number>();
  const result: [number, number][] = [];
  if (pairs > 0 && plainConsenting.length >= 2) {
    const a = plainConsenting.pop() as number;
    const b = plainConsenting.pop() as number;
    result.push([a, b]);
    used.add(a).add(b);
  }
  const rest = prng.shuffled(all).filter((i) => !used.has(i));
  while (result.length < pairs && rest.length >= 2) result.push([rest.pop() as number, rest.pop() as number]);
  return result;
}

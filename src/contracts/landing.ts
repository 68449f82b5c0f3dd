/**
 * The landing contract: what a record of each landing source must look like (DESIGN.md, "Landing
 * records"). One module so the ingestion service (which refuses bad records at the door) and the
 * pipeline's data-quality checks (which meet records written by other means) name the same rules.
 *
 * docs/data-quality.md is the specification: error rules refuse a record (the service answers
 * with the rule; the pipeline quarantines it), warnings keep it and are counted.
 *
 * Column names come from TABLES; this module only adds what each column's value must satisfy.
 * Hand-written checks rather than a schema library: the ingestion service validates a few hundred
 * thousand records per second, and every violation must say which field broke which named rule.
 */
import { LANDING_TABLE, TABLES, type LandingSource } from '../lake/tables.js';

/** Stable names of the error rules: they appear in API responses, metrics labels and quarantine reasons. */
export const LANDING_RULES = [
  'invalid_json',
  'not_an_object',
  'missing_field',
  'not_a_string',
  'empty_string',
  'not_an_email',
  'not_a_number',
  'not_finite',
  'not_an_integer',
  'negative',
  'time_before_2000',
  'time_in_future',
] as const;
export type LandingRule = (typeof LANDING_RULES)[number];

/** Warnings keep the record; a record can raise several. */
export const LANDING_WARNINGS = ['odd_birthday', 'phone_not_digits', 'unknown_field'] as const;
export type LandingWarning = (typeof LANDING_WARNINGS)[number];

/** What one field's value must be. */
export type FieldKind =
  | 'string' // any JSON string
  | 'serial' // string, not empty once trimmed
  | 'phone' // string; warning when not digits only
  | 'email' // string that looks like an email once trimmed
  | 'calendar_date' // string; warning when not a real YYYY-MM-DD day between 1900-01-01 and today
  | 'epoch_millis' // integer milliseconds within the plausible time window
  | 'nullable_epoch_millis' // the same, or null or absent (no consent)
  | 'finite_number'
  | 'non_negative_integer';

export interface Violation<Rule extends string = LandingRule> {
  /** The offending field, or undefined when the record as a whole is wrong. */
  readonly field: string | undefined;
  readonly rule: Rule;
  /** Human-readable, never quotes the value (values may be personal data). */
  readonly message: string;
}

/** Times before this are implausible for STEDI data (2000-01-01T00:00:00Z). */
export const EARLIEST_PLAUSIBLE_MILLIS = Date.UTC(2000, 0, 1);
/** Device clocks drift; anything later than one day ahead of the receiver's clock is wrong. */
export const MAX_FUTURE_SKEW_MILLIS = 24 * 60 * 60 * 1000;

const FIELD_KINDS: Readonly<Record<LandingSource, Readonly<Record<string, FieldKind>>>> = {
  customer: {
    customerName: 'string',
    email: 'email',
    phone: 'phone',
    birthDay: 'calendar_date',
    serialNumber: 'serial',
    registrationDate: 'epoch_millis',
    lastUpdateDate: 'epoch_millis',
    shareWithResearchAsOfDate: 'nullable_epoch_millis',
    shareWithPublicAsOfDate: 'nullable_epoch_millis',
    shareWithFriendsAsOfDate: 'nullable_epoch_millis',
  },
  accelerometer: { user: 'email', timestamp: 'epoch_millis', x: 'finite_number', y: 'finite_number', z: 'finite_number' },
  step_trainer: { sensorReadingTime: 'epoch_millis', serialNumber: 'serial', distanceFromObject: 'non_negative_integer' },
};

export interface FieldContract {
  readonly name: string;
  readonly kind: FieldKind;
}

/** Fields of a landing source, in the order of the table's columns (also the order records are written in). */
export const LANDING_CONTRACTS: Readonly<Record<LandingSource, readonly FieldContract[]>> = {
  customer: contractFor('customer'),
  accelerometer: contractFor('accelerometer'),
  step_trainer: contractFor('step_trainer'),
};

function contractFor(source: LandingSource): FieldContract[] {
  const kinds = FIELD_KINDS[source];
  const columns = TABLES[LANDING_TABLE[source]].columns.map((c) => c.name);
  const described = Object.keys(kinds);
  // Fail at import time if tables.ts and this contract ever disagree: a silent mismatch would let
  // the service write records the pipeline cannot read.
  if (columns.length !== described.length || columns.some((c) => !(c in kinds))) {
    throw new Error(`landing contract for ${source} does not match the columns of ${LANDING_TABLE[source]}`);
  }
  return columns.map((name) => ({ name, kind: kinds[name] as FieldKind }));
}

// Deliberately loose: one @, something before it, a dot in the domain, no whitespace inside.
// White space spelled out rather than \s, whose meaning differs between JavaScript and the SQL
// engines' regex libraries (Unicode spaces, \v): every engine and the service must agree.
/** What an email must look like once trimmed (the SQL engines implement the same rule). */
export const EMAIL_PATTERN = '[^\\t\\n\\f\\r @]+@[^\\t\\n\\f\\r @.]+(\\.[^\\t\\n\\f\\r @.]+)+';
export const MAX_EMAIL_LENGTH = 254;
const EMAIL = new RegExp(`^${EMAIL_PATTERN}$`);
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DIGITS = /^[0-9]+$/;

/** The first error of `value` against `source`'s contract, or undefined when the record is valid. */
export function checkLandingRecord(source: LandingSource, value: unknown, nowMillis: number): Violation | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { field: undefined, rule: 'not_an_object', message: 'record must be a JSON object' };
  }
  const record = value as Record<string, unknown>;
  for (const { name, kind } of LANDING_CONTRACTS[source]) {
    if (!Object.hasOwn(record, name)) {
      // An absent consent date reads as null (no consent), as every JSON reader of the lake reads it.
      if (kind === 'nullable_epoch_millis') continue;
      return { field: name, rule: 'missing_field', message: `field "${name}" is missing` };
    }
    const violation = checkField(name, kind, record[name], nowMillis);
    if (violation) return violation;
  }
  return undefined;
}

/** The warnings of a valid record (kept, but counted). */
export function landingWarnings(source: LandingSource, record: Readonly<Record<string, unknown>>, nowMillis: number): Violation<LandingWarning>[] {
  const warnings: Violation<LandingWarning>[] = [];
  const contract = LANDING_CONTRACTS[source];
  for (const { name, kind } of contract) {
    const value = record[name];
    if (kind === 'calendar_date' && !isPlausibleBirthDay(value as string, nowMillis)) {
      warnings.push(violation(name, 'odd_birthday', 'is not a real YYYY-MM-DD date between 1900-01-01 and today'));
    } else if (kind === 'phone' && !DIGITS.test(value as string)) {
      warnings.push(violation(name, 'phone_not_digits', 'is not made of digits only'));
    }
  }
  const keys = Object.keys(record);
  if (keys.length !== contract.length) {
    for (const key of keys) {
      if (!contract.some((f) => f.name === key)) {
        warnings.push(violation(key, 'unknown_field', `is not part of the ${source} contract and is not stored`));
      }
    }
  }
  return warnings;
}

export function checkField(name: string, kind: FieldKind, value: unknown, nowMillis: number): Violation | undefined {
  switch (kind) {
    case 'string':
    case 'phone':
    case 'calendar_date':
      return typeof value === 'string' ? undefined : violation(name, 'not_a_string', 'must be a string');
    case 'serial':
      if (typeof value !== 'string') return violation(name, 'not_a_string', 'must be a string');
      return value.trim().length > 0 ? undefined : violation(name, 'empty_string', 'must not be empty');
    case 'email':
      if (typeof value !== 'string') return violation(name, 'not_a_string', 'must be a string');
      return isEmail(value) ? undefined : violation(name, 'not_an_email', 'must look like an email address');
    case 'nullable_epoch_millis':
      return value === null ? undefined : checkEpochMillis(name, value, nowMillis);
    case 'epoch_millis':
      return checkEpochMillis(name, value, nowMillis);
    case 'finite_number':
      if (typeof value !== 'number') return violation(name, 'not_a_number', 'must be a number');
      return Number.isFinite(value) ? undefined : violation(name, 'not_finite', 'must be a finite number');
    case 'non_negative_integer': {
      const notInteger = checkInteger(name, value);
      if (notInteger) return notInteger;
      return (value as number) < 0 ? violation(name, 'negative', 'must not be negative') : undefined;
    }
  }
}

/** Trimmed of spaces, tabs, CR and LF only, as the SQL engines trim; length in characters. */
function isEmail(value: string): boolean {
  const trimmed = value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  return [...trimmed].length <= MAX_EMAIL_LENGTH && EMAIL.test(trimmed);
}

function checkInteger(name: string, value: unknown): Violation | undefined {
  if (typeof value !== 'number') return violation(name, 'not_a_number', 'must be a number');
  return Number.isSafeInteger(value) ? undefined : violation(name, 'not_an_integer', 'must be an integer');
}

function checkEpochMillis(name: string, value: unknown, nowMillis: number): Violation | undefined {
  const notInteger = checkInteger(name, value);
  if (notInteger) return notInteger;
  const millis = value as number;
  if (millis < EARLIEST_PLAUSIBLE_MILLIS) {
    return violation(name, 'time_before_2000', 'must be epoch milliseconds on or after 2000-01-01');
  }
  if (millis > nowMillis + MAX_FUTURE_SKEW_MILLIS) {
    return violation(name, 'time_in_future', 'must be epoch milliseconds no more than one day in the future');
  }
  return undefined;
}

const EARLIEST_BIRTHDAY = '1900-01-01';

function isPlausibleBirthDay(value: string, nowMillis: number): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  // ISO dates compare correctly as text.
  return real && value >= EARLIEST_BIRTHDAY && value <= new Date(nowMillis).toISOString().slice(0, 10);
}

function violation<Rule extends string>(field: string, rule: Rule, what: string): Violation<Rule> {
  return { field, rule, message: `field "${field}" ${what}` };
}

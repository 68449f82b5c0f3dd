/**
 * The landing contract as the pipeline checks it: each field's kind, in column order, and the
 * rules of docs/data-quality.md. Errors quarantine a record (first failing check wins, fields in
 * column order); warnings keep it and are counted.
 */
import { LANDING_TABLE, TABLES, type LandingSource } from '../lake/tables.js';

export type FieldKind =
  | 'name'
  | 'serial'
  | 'phone'
  | 'email'
  | 'calendar_date'
  | 'epoch_millis'
  | 'nullable_epoch_millis'
  | 'finite_number'
  | 'non_negative_integer';

export const ERROR_RULES = [
  'invalid_json',
  'not_an_object',
  'missing_field',
  'not_a_string',
  'empty_string',
  'not_an_email',
  'not_a_number',
  'not_an_integer',
  'time_before_2000',
  'time_in_future',
  'not_finite',
  'negative',
] as const;
export type ErrorRule = (typeof ERROR_RULES)[number];

export const WARNING_RULES = ['odd_birthday', 'phone_not_digits', 'unknown_field'] as const;
export type WarningRule = (typeof WARNING_RULES)[number];

export interface FieldContract {
  readonly name: string;
  readonly kind: FieldKind;
}

const KINDS: Readonly<Record<LandingSource, Readonly<Record<string, FieldKind>>>> = {
  customer: {
    customerName: 'name',
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

/** Fields of a source in column order (TABLES is the source of names and order). */
export function landingFields(source: LandingSource): FieldContract[] {
  return TABLES[LANDING_TABLE[source]].columns.map((c) => {
    const kind = KINDS[source][c.name];
    if (!kind) throw new Error(`no contract kind for ${source}.${c.name}`);
    return { name: c.name, kind };
  });
}

export const isTextKind = (kind: FieldKind): boolean => ['name', 'serial', 'phone', 'email', 'calendar_date'].includes(kind);

/** 2000-01-01T00:00:00Z: earlier times are implausible for STEDI data. */
export const EARLIEST_PLAUSIBLE_MILLIS = Date.UTC(2000, 0, 1);
/** Clocks drift: up to one day after the run started is accepted. */
export const MAX_FUTURE_SKEW_MILLIS = 24 * 60 * 60 * 1000;
export const EMAIL_PATTERN = '[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+';
export const MAX_EMAIL_LENGTH = 254;
/** Largest integer a JSON reader can hold exactly (2^53 - 1). */
export const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** The human message for a rule on a field (never quotes the value: it may be personal data). */
export function ruleMessage(rule: string, field: string | null): string {
  const f = field ? `field "${field}" ` : '';
  const what: Record<string, string> = {
    invalid_json: 'line is not valid JSON text',
    not_an_object: 'record is not a JSON object',
    missing_field: 'is missing',
    not_a_string: 'must be a string',
    empty_string: 'must not be empty',
    not_an_email: 'must look like an email address',
    not_a_number: 'must be a number',
    not_an_integer: 'must be a whole number',
    time_before_2000: 'is before 2000-01-01',
    time_in_future: 'is more than one day in the future',
    not_finite: 'must be a finite number',
    negative: 'must not be negative',
  };
  return `${f}${what[rule] ?? rule}`;
}

/**
 * The rule names and warning checks of docs/data-quality.md, written out again here from the
 * specification's text (the generator never imports the pipeline's or the contract module's
 * checking code: its expectations are the independent truth the pipeline is compared with).
 */
import type { LandingTableName } from './expectations.js';

/** Error rules: the first failing one quarantines the record. */
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

/** Warning rules: the record is kept and counted once per rule it raises. */
export const WARNING_RULES = ['odd_birthday', 'phone_not_digits', 'unknown_field'] as const;
export type WarningRule = (typeof WARNING_RULES)[number];

export const LANDING_TABLE_NAMES = ['customer_landing', 'accelerometer_landing', 'step_trainer_landing'] as const satisfies readonly LandingTableName[];

export type Counts = Record<string, number>;

/** Adds `n` to `counts[key]` (mutating). */
export function bump(counts: Counts, key: string, n = 1): void {
  if (n !== 0) counts[key] = (counts[key] ?? 0) + n;
}

/** Adds every count of `part` into `total` (mutating). */
export function addCounts(total: Counts, part: Readonly<Counts>): void {
  for (const [key, n] of Object.entries(part)) bump(total, key, n);
}

/** Zero counts dropped, keys sorted: equal counts serialize equally. */
export function tidyCounts(counts: Readonly<Counts>): Counts {
  return Object.fromEntries(
    Object.entries(counts)
      .filter(([, n]) => n !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

export const sumCounts = (counts: Readonly<Counts>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** `odd_birthday`: not a real YYYY-MM-DD date, or before 1900-01-01, or after `today` (YYYY-MM-DD). */
export function isOddBirthday(birthDay: string, today: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDay);
  if (match === null) return true;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  // Same-length YYYY-MM-DD strings compare like the dates they name.
  return !real || birthDay < '1900-01-01' || birthDay > today;
}

/** `phone_not_digits`: not made of ASCII digits only (an empty phone is not digits either). */
export function isPhoneNotDigits(phone: string): boolean {
  return !/^[0-9]+$/.test(phone);
}

/** The run's date as YYYY-MM-DD (UTC). */
export function dateOf(millis: number): string {
  return new Date(millis).toISOString().slice(0, 10);
}

/**
 * The landing contract as the pipeline's SQL checks see it. The contract itself (field kinds,
 * rule names, the plausible time window) is declared once, in src/contracts/landing.ts, for the
 * ingestion service and the pipeline alike; this module adds what only SQL needs.
 */
import { LANDING_CONTRACTS, type FieldContract, type FieldKind } from '../contracts/landing.js';
import type { LandingSource } from '../lake/tables.js';

export {
  EARLIEST_PLAUSIBLE_MILLIS,
  EMAIL_PATTERN,
  LANDING_WARNINGS as WARNING_RULES,
  MAX_EMAIL_LENGTH,
  MAX_FUTURE_SKEW_MILLIS,
  type FieldContract,
  type FieldKind,
  type LandingWarning as WarningRule,
} from '../contracts/landing.js';

/** Fields of a source in column order. */
export function landingFields(source: LandingSource): readonly FieldContract[] {
  return LANDING_CONTRACTS[source];
}

export const isTextKind = (kind: FieldKind): boolean => ['string', 'serial', 'phone', 'email', 'calendar_date'].includes(kind);

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

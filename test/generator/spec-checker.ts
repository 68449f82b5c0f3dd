/**
 * A small, independent reading of docs/data-quality.md for the tests: classifies one raw landing
 * line as blank, quarantined under a rule, or valid with its warnings. Written from the spec's
 * text only (no generator or contract code).
 */
import type { LandingSource } from '../../src/lake/tables.js';

type Check = 'name' | 'serial' | 'phone' | 'email' | 'date' | 'millis' | 'nullableMillis' | 'finite' | 'count';

export const SPEC_FIELDS: Record<LandingSource, readonly (readonly [string, Check])[]> = {
  customer: [
    ['customerName', 'name'],
    ['email', 'email'],
    ['phone', 'phone'],
    ['birthDay', 'date'],
    ['serialNumber', 'serial'],
    ['registrationDate', 'millis'],
    ['lastUpdateDate', 'millis'],
    ['shareWithResearchAsOfDate', 'nullableMillis'],
    ['shareWithPublicAsOfDate', 'nullableMillis'],
    ['shareWithFriendsAsOfDate', 'nullableMillis'],
  ],
  accelerometer: [
    ['user', 'email'],
    ['timestamp', 'millis'],
    ['x', 'finite'],
    ['y', 'finite'],
    ['z', 'finite'],
  ],
  step_trainer: [
    ['sensorReadingTime', 'millis'],
    ['serialNumber', 'serial'],
    ['distanceFromObject', 'count'],
  ],
};

export type Verdict =
  | { kind: 'blank' }
  | { kind: 'bad'; rule: string }
  | { kind: 'valid'; record: Record<string, unknown>; warnings: string[] };

const DAY = 86_400_000;

function millisRule(v: unknown, now: number): string | undefined {
  if (typeof v !== 'number') return 'not_a_number';
  if (!Number.isInteger(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) return 'not_an_integer';
  if (v < Date.UTC(2000, 0, 1)) return 'time_before_2000';
  if (v > now + DAY) return 'time_in_future';
  return undefined;
}

function fieldRule(check: Check, v: unknown, now: number): string | undefined {
  switch (check) {
    case 'name':
    case 'phone':
    case 'date':
      return typeof v === 'string' ? undefined : 'not_a_string';
    case 'serial':
      if (typeof v !== 'string') return 'not_a_string';
      return v.trim() === '' ? 'empty_string' : undefined;
    case 'email': {
      if (typeof v !== 'string') return 'not_a_string';
      const t = v.trim();
      return t.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(t) ? undefined : 'not_an_email';
    }
    case 'millis':
      return millisRule(v, now);
    case 'nullableMillis':
      return v === null ? undefined : millisRule(v, now);
    case 'finite':
      if (typeof v !== 'number') return 'not_a_number';
      return Number.isFinite(v) ? undefined : 'not_finite';
    case 'count':
      if (typeof v !== 'number') return 'not_a_number';
      if (!Number.isInteger(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) return 'not_an_integer';
      return v < 0 ? 'negative' : undefined;
  }
}

function oddBirthday(s: string, today: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return true;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const real = d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
  if (!real) return true;
  return s < '1900-01-01' || s > today;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function checkLine(source: LandingSource, raw: Uint8Array | string, now = Date.now()): Verdict {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else {
    try {
      text = decoder.decode(raw);
    } catch {
      return { kind: 'bad', rule: 'invalid_json' };
    }
  }
  if (/^ *$/.test(text)) return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'bad', rule: 'invalid_json' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'bad', rule: 'not_an_object' };
  const record = value as Record<string, unknown>;
  for (const [name, check] of SPEC_FIELDS[source]) {
    if (!Object.hasOwn(record, name)) {
      if (check === 'nullableMillis') continue; // an absent consent date is a valid "no consent"
      return { kind: 'bad', rule: 'missing_field' };
    }
    const rule = fieldRule(check, record[name], now);
    if (rule !== undefined) return { kind: 'bad', rule };
  }
  const warnings: string[] = [];
  const today = new Date(now).toISOString().slice(0, 10);
  if (source === 'customer') {
    if (oddBirthday(record.birthDay as string, today)) warnings.push('odd_birthday');
    if (!/^[0-9]+$/.test(record.phone as string)) warnings.push('phone_not_digits');
  }
  const known = new Set(SPEC_FIELDS[source].map(([n]) => n));
  if (Object.keys(record).some((k) => !known.has(k))) warnings.push('unknown_field');
  return { kind: 'valid', record, warnings };
}

/** Splits a landing file's bytes into lines (the final newline ends the last line). */
export function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let from = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, from)) {
    lines.push(bytes.subarray(from, i));
    from = i + 1;
  }
  if (from < bytes.length) lines.push(bytes.subarray(from));
  return lines;
}

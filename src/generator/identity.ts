/**
 * Fake but plausible personal fields: names, emails, phones, birthdays, and the ways real exports
 * mangle an email (other letter case, surrounding spaces). Everything draws from the given Prng.
 */
import type { Prng } from './prng.js';

const FIRST_NAMES = [
  'Santosh', 'Frank', 'Sarah', 'Jerry', 'Lyn', 'Chris', 'Gail', 'Ben', 'Edward', 'Danny', 'Spencer', 'Jacob',
  'Liz', 'Bobby', 'Senthil', 'Trevor', 'Neeraj', 'Ahmed', 'Mei', 'Olga', 'Kofi', 'Ana', 'Yuki', 'Ravi',
] as const;
const LAST_NAMES = [
  'Clayton', 'Doshi', 'Lincoln', 'Aristotle', 'Davis', 'Jones', 'Fibonacci', 'Wu', 'Khan', 'Mitra', 'Hansen',
  'Gonzalez', 'Meyer', 'Okafor', 'Tanaka', 'Ivanova', 'Silva', 'Anderson', 'Stark', 'Abram',
] as const;
const ODD_BIRTHDAYS = ['1399-01-01', '1900-01-01', '2099-12-31', '2031-02-28', '0001-01-01'] as const;

export interface Identity {
  readonly customerName: string;
  /** Unique per customer index, with the mixed case the portal stores. */
  readonly email: string;
  readonly phone: string;
}

export function identityFor(index: number, prng: Prng): Identity {
  const first = prng.pick(FIRST_NAMES);
  const last = prng.pick(LAST_NAMES);
  return {
    customerName: `${first} ${last}`,
    // The index keeps emails unique (so planned customers never merge by accident).
    email: `${first}.${last}${index}@test.com`,
    phone: phoneNumber(prng),
  };
}

export function phoneNumber(prng: Prng): string {
  return String(prng.int(1_000_000_000, 9_999_999_999));
}

export function normalBirthday(prng: Prng): string {
  const year = prng.int(1930, 2005);
  const month = prng.int(1, 12);
  const day = prng.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function oddBirthday(prng: Prng): string {
  return prng.pick(ODD_BIRTHDAYS);
}

/**
 * The same email key written differently: upper case, lower case, or with spaces around it. Only
 * spaces: SQL engines disagree on whether trim() also strips tabs, and the rule says "trim".
 */
export function emailVariant(email: string, prng: Prng): string {
  switch (prng.int(0, 3)) {
    case 0:
      return email.toUpperCase();
    case 1:
      return ` ${email.toLowerCase()}`;
    case 2:
      return `${email}  `;
    default:
      return `  ${email.toUpperCase()} `;
  }
}

/** An email that belongs to no customer (a different domain, so it can never collide). */
export function strangerEmail(index: number): string {
  return `Visitor${index}@unregistered.test`;
}

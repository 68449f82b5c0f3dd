/**
 * Masking for output that ends up in tickets and chat (quarantine samples, failed checks): enough
 * left to recognise a value's shape, not enough to identify a person.
 */

/** Landing keys and table columns that hold personal data. */
export const PERSONAL_FIELDS = new Set([
  'customerName',
  'email',
  'user',
  'phone',
  'birthDay',
  'serialNumber',
  'customer_name',
  'birth_day',
  'serial_number',
]);

/** Keep the first character (and an email's domain); star the rest. */
export function maskValue(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  if (value.length <= 2) return '***';
  return `${value[0]}***${value[value.length - 1]}`;
}

const EMAIL_LIKE = /[^\s"'@,{}:]+@[^\s"'@,{}:]+/g;
/** Phone-length digit runs (epoch milliseconds have 13 digits and stay). */
const LONG_DIGITS = /(?<![\d.])\d{7,11}(?![\d.])/g;
const UUID_LIKE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A raw landing line with personal fields masked, everything else byte for byte (a quarantined
 * line is evidence: re-serializing it would hide what was wrong, e.g. 1e999 would print as null).
 * String values of personal keys are masked where the line shows them; anything else that looks
 * personal (emails, serial numbers, long digit runs such as phones) is masked by pattern.
 */
export function maskRawLine(raw: string): string {
  const byKey = raw.replace(PERSONAL_VALUE, (whole, key: string, separator: string, value: string) =>
    PERSONAL_FIELDS.has(key) ? `"${key}"${separator}"${maskValue(value)}"` : whole,
  );
  return byKey.replace(EMAIL_LIKE, (m) => (m.includes('***') ? m : maskValue(m))).replace(UUID_LIKE, (m) => maskValue(m)).replace(LONG_DIGITS, (m) => maskValue(m));
}

const PERSONAL_VALUE = /"([A-Za-z_]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

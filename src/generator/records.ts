/**
 * Landing records as the portal, the app and the devices send them. The property names are the
 * landing JSON keys of TABLES (src/lake/tables.ts), in the same order; a test checks that every
 * generated line has exactly those keys, so the two cannot drift apart silently.
 */

export interface CustomerRecord {
  readonly customerName: string;
  readonly email: string;
  readonly phone: string;
  readonly birthDay: string;
  readonly serialNumber: string;
  readonly registrationDate: number;
  readonly lastUpdateDate: number;
  readonly shareWithResearchAsOfDate: number | null;
  readonly shareWithPublicAsOfDate: number | null;
  readonly shareWithFriendsAsOfDate: number | null;
}

export interface AccelerometerReading {
  readonly user: string;
  readonly timestamp: number;
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export interface StepTrainerReading {
  readonly sensorReadingTime: number;
  readonly serialNumber: string;
  readonly distanceFromObject: number;
}

/** The customer key of DESIGN.md: emails are compared trimmed and lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * One JSON line per record. Objects are rebuilt in key order so that the output does not depend on
 * how a caller happened to construct the record (key order is part of byte-identical output).
 */
export function customerLine(r: CustomerRecord): string {
  return JSON.stringify({
    customerName: r.customerName,
    email: r.email,
    phone: r.phone,
    birthDay: r.birthDay,
    serialNumber: r.serialNumber,
    registrationDate: r.registrationDate,
    lastUpdateDate: r.lastUpdateDate,
    shareWithResearchAsOfDate: r.shareWithResearchAsOfDate,
    shareWithPublicAsOfDate: r.shareWithPublicAsOfDate,
    shareWithFriendsAsOfDate: r.shareWithFriendsAsOfDate,
  });
}

/*
 * Readings are most of the output (10M+ lines), so they are written with templates rather than
 * JSON.stringify of a fresh object: same bytes (a finite number prints the same either way; the
 * strings still go through JSON.stringify for escaping), about twice as fast.
 */
export function accelerometerLine(r: AccelerometerReading): string {
  return `{"user":${JSON.stringify(r.user)},"timestamp":${r.timestamp},"x":${numberText(r.x)},"y":${numberText(r.y)},"z":${numberText(r.z)}}`;
}

export function stepTrainerLine(r: StepTrainerReading): string {
  return `{"sensorReadingTime":${r.sensorReadingTime},"serialNumber":${JSON.stringify(r.serialNumber)},"distanceFromObject":${r.distanceFromObject}}`;
}

/**
 * Printing a double is the slowest part of writing a reading, and generated accelerations are
 * thousandths in -1..1; their texts are computed once. `k / 1000 === value` guarantees the table
 * entry is exactly String(value); anything else is printed the ordinary way.
 */
const THOUSANDTHS: readonly string[] = Array.from({ length: 2001 }, (_, i) => String((i - 1000) / 1000));

export function numberText(value: number): string {
  const k = Math.round(value * 1000);
  if (k >= -1000 && k <= 1000 && k / 1000 === value) return THOUSANDTHS[k + 1000] as string;
  return String(value);
}

/**
 * Every knob of the synthetic data in one place: how common each realistic shape and each surprise
 * is, and the fixed times the data is anchored to. Rare surprises are quotas (a fraction of the
 * customers, but at least one once there are enough customers) rather than coin flips, so that a
 * lake of ~100 customers already contains every case the pipeline must handle.
 */

export interface SurpriseFractions {
  /** Re-exported with a later lastUpdateDate and a changed phone; consent unchanged. */
  readonly plainUpdate: number;
  /** Consent in the first record, withdrawn (null) in the later one. */
  readonly withdrawnConsent: number;
  /** No consent in the first record, granted only in the later one. */
  readonly grantedLater: number;
  /** The same record exported twice, byte for byte. */
  readonly exactDuplicateRecord: number;
  /** Re-exported later with the email in another letter case or with surrounding spaces. */
  readonly emailVariantLater: number;
  /** Exported twice at the same lastUpdateDate, the copies differing only in email case/spaces. */
  readonly emailVariantSameDate: number;
  /** A later re-export that carries an OLDER lastUpdateDate (file order must not decide). */
  readonly olderRecordExportedLater: number;
  /** Two different records share the greatest lastUpdateDate: an ambiguous current state. */
  readonly conflictingCurrentState: number;
  /** Birthdays such as 1399-01-01 or dates in the future. */
  readonly oddBirthday: number;
  /** Customers in pairs that share one step-trainer serial number. */
  readonly sharedSerial: number;
  readonly noAccelerometerReadings: number;
  readonly noStepTrainerReadings: number;
  /** The accelerometer `user` differs in case/whitespace from the customer email. */
  readonly userVariant: number;
  /** Sessions that also carry readings from an email that is no customer, at the same instants. */
  readonly strangerReadings: number;
  /** Sessions that also carry step-trainer readings from a serial that is no customer's. */
  readonly orphanSerialReadings: number;
  readonly duplicateAccelerometerReading: number;
  readonly duplicateStepTrainerReading: number;
  /** A second step-trainer reading at an existing (serial, time) with a different distance. */
  readonly conflictingStepTrainerReading: number;
  /** Among consenting customers: consent later than registration, still before the session. */
  readonly consentLaterBeforeSession: number;
  /** Among consenting customers: consent during the session (some readings predate it). */
  readonly consentMidSession: number;
  /** Among consenting customers: consent after the session (every reading predates it). */
  readonly consentAfterSession: number;
}

export const DEFAULT_FRACTIONS: SurpriseFractions = {
  plainUpdate: 0.05,
  withdrawnConsent: 0.03,
  grantedLater: 0.03,
  exactDuplicateRecord: 0.02,
  emailVariantLater: 0.02,
  emailVariantSameDate: 0.02,
  olderRecordExportedLater: 0.02,
  conflictingCurrentState: 0.02,
  oddBirthday: 0.02,
  sharedSerial: 0.02,
  noAccelerometerReadings: 0.02,
  noStepTrainerReadings: 0.02,
  userVariant: 0.04,
  strangerReadings: 0.02,
  orphanSerialReadings: 0.02,
  duplicateAccelerometerReading: 0.03,
  duplicateStepTrainerReading: 0.03,
  conflictingStepTrainerReading: 0.03,
  consentLaterBeforeSession: 0.1,
  consentMidSession: 0.1,
  consentAfterSession: 0.05,
};

/** Share of customers whose current state consents to research. */
export const RESEARCH_CONSENT_SHARE = 0.5;
/** Share of step-trainer instants with three accelerometer readings (the rest have two). */
export const THREE_READINGS_SHARE = 0.85;
/** Step-trainer readings per session. */
export const INSTANTS_PER_SESSION = { min: 25, max: 35 } as const;
/** Milliseconds between step-trainer readings; a slot has one, so its customers share instants. */
export const INSTANT_PERIODS_MS = [2000, 2500, 3000, 3500] as const;
export const DISTANCE_RANGE = { min: 150, max: 800 } as const;

const DAY_MS = 86_400_000;
export { DAY_MS };

/** Sessions happen within this window (2022-2023), registrations up to a year before. */
export const SESSION_WINDOW = { start: Date.UTC(2022, 0, 1), days: 700 } as const;
/**
 * Landing file names carry an export time. It is a constant (not the clock) so that the same seed
 * gives the same file names; it lies after every generated time, as a real export would.
 */
export const EXPORT_EPOCH_MS = Date.UTC(2024, 6, 1);
/** Files of one source are this far apart in their name's millis. */
export const EXPORT_FILE_SPACING_MS = 1000;
/** Lines per landing file before the writer starts the next one. */
export const DEFAULT_MAX_LINES_PER_FILE = 200_000;
/** Customers with fewer than this get no quota-based surprises (they would crowd every record). */
export const MIN_CUSTOMERS_FOR_SURPRISES = 20;

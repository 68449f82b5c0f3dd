import type { Model, ModelContext } from '../pipeline/model.js';
import { CUSTOMER_STATUS, customerStatusSteps, SERIAL_CLAIMS } from './customer-states.js';

const SERIALS = 'step_trainer_trusted__serials';
const CONFLICTS = 'step_trainer_trusted__conflicts';

/** The landing readings with their serial number's lookup row (`l`). */
const readings = (ctx: ModelContext): string => `${ctx.ref('step_trainer_landing')} r
LEFT JOIN ${ctx.dialect.ident(SERIALS)} l ON l.serial_number = r."serialNumber"`;

/** Kept so far (before conflicts are looked at): the one claimant is curated and, if strict, had consented. */
const attributable = (ctx: ModelContext): string =>
  `l.claimants = 1 AND l.is_curated${ctx.policy === 'strict' ? ' AND r."sensorReadingTime" >= l.consent_date' : ''}`;

/**
 * Job 4: readings of curated customers' step trainers from their consent on, one row per
 * (serial_number, sensor_reading_time). Held back, never guessed: readings of a serial number
 * that two different current customers claim, and keys whose readings disagree on the distance.
 */
export const stepTrainerTrusted: Model = {
  name: 'step_trainer_landing_to_trusted',
  description: "readings of curated customers' step trainers from consent on, one per serial and time",
  output: 'step_trainer_trusted',
  inputs: ['step_trainer_landing', 'customer_curated', 'customer_landing'],
  primaryInput: 'step_trainer_landing',
  outputRule: { kind: 'distinct' },
  reasons: {
    unknown_serial: 'no current customer claims the serial number',
    ambiguous_serial: 'two or more current customers claim the serial number',
    ambiguous_customer: "the device owner's latest records disagree",
    withdrawn: 'the device owner withdrew research consent',
    no_consent: 'the device owner never gave research consent',
    not_curated: 'the device owner is not a curated customer (no accelerometer data)',
    before_consent: 'taken before the owner consented (strict policy)',
    conflicting_distance: 'another reading of the same device at the same millisecond has another distance',
  },
  lookups: (ctx) => [
    ...customerStatusSteps(ctx),
    [
      // One row per claimed serial number: how many current customers claim it and, when exactly
      // one does, that owner's status and (if curated) consent date.
      SERIALS,
      `SELECT sc.serial_number, sc.claimants, s.status, c.email IS NOT NULL AS is_curated,
  c.share_with_research_as_of_date AS consent_date
FROM ${ctx.dialect.ident(SERIAL_CLAIMS)} sc
LEFT JOIN ${ctx.dialect.ident(CUSTOMER_STATUS)} s ON s.email = CASE WHEN sc.claimants = 1 THEN sc.email END
LEFT JOIN ${ctx.ref('customer_curated')} c ON c.email = CASE WHEN sc.claimants = 1 THEN sc.email END`,
    ],
    [
      // Among readings kept so far: keys whose readings disagree on the distance (few).
      CONFLICTS,
      `SELECT r."serialNumber" AS serial_number, r."sensorReadingTime" AS sensor_reading_time
FROM ${readings(ctx)}
WHERE ${attributable(ctx)}
GROUP BY 1, 2 HAVING min(r."distanceFromObject") <> max(r."distanceFromObject")`,
    ],
  ],
  // One pass of lookups over millions of readings: joining them twice costs less than storing them.
  classified: 'recomputed',
  classify: (ctx) => `SELECT r."serialNumber" AS serial_number, r."sensorReadingTime" AS sensor_reading_time,
  r."distanceFromObject" AS distance_from_object,
  CASE
    WHEN l.claimants IS NULL THEN 'unknown_serial'
    WHEN l.claimants > 1 THEN 'ambiguous_serial'
    WHEN ${attributable(ctx)} THEN CASE WHEN k.serial_number IS NOT NULL THEN 'conflicting_distance' END
    WHEN l.is_curated THEN 'before_consent'
    WHEN l.status = 'trusted' THEN 'not_curated'
    ELSE l.status
  END AS _reason
FROM ${readings(ctx)}
LEFT JOIN ${ctx.dialect.ident(CONFLICTS)} k ON k.serial_number = r."serialNumber" AND k.sensor_reading_time = r."sensorReadingTime"`,
};

import type { Model } from '../pipeline/model.js';
import { customerStatusSteps, withSteps } from './customer-states.js';

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
  classify: (ctx) =>
    withSteps(
      [
        ...customerStatusSteps(ctx),
        [
          'readings',
          `SELECT "serialNumber" AS serial_number, "sensorReadingTime" AS sensor_reading_time,
    "distanceFromObject" AS distance_from_object
  FROM ${ctx.ref('step_trainer_landing')}`,
        ],
        [
          // The one customer a serial number can be attributed to (NULL when none or several).
          'owned',
          `SELECT r.*, sc.claimants, CASE WHEN sc.claimants = 1 THEN sc.email END AS owner
  FROM readings r LEFT JOIN serial_claims sc ON sc.serial_number = r.serial_number`,
        ],
        [
          'attributed',
          `SELECT o.serial_number, o.sensor_reading_time, o.distance_from_object,
    CASE
      WHEN o.claimants IS NULL THEN 'unknown_serial'
      WHEN o.claimants > 1 THEN 'ambiguous_serial'
      WHEN c.email IS NOT NULL THEN ${ctx.policy === 'strict' ? "CASE WHEN o.sensor_reading_time < c.share_with_research_as_of_date THEN 'before_consent' END" : 'NULL'}
      WHEN s.status = 'trusted' THEN 'not_curated'
      ELSE s.status
    END AS _reason
  FROM owned o
  LEFT JOIN customer_status s ON s.email = o.owner
  LEFT JOIN ${ctx.ref('customer_curated')} c ON c.email = o.owner`,
        ],
        [
          // Among kept rows only: keys whose readings disagree on the distance (an aggregate and a
          // join: a window over every reading would sort them all).
          'conflicts',
          `SELECT serial_number, sensor_reading_time FROM attributed WHERE _reason IS NULL
  GROUP BY serial_number, sensor_reading_time HAVING min(distance_from_object) <> max(distance_from_object)`,
        ],
      ],
      `SELECT a.serial_number, a.sensor_reading_time, a.distance_from_object,
  CASE WHEN a._reason IS NULL AND k.serial_number IS NOT NULL THEN 'conflicting_distance' ELSE a._reason END AS _reason
FROM attributed a
LEFT JOIN conflicts k ON k.serial_number = a.serial_number AND k.sensor_reading_time = a.sensor_reading_time`,
    ),
};

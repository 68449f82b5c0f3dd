import type { Model } from '../pipeline/model.js';
import { currentStateSteps, withSteps } from './customer-states.js';

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
  sql: (ctx) =>
    withSteps(
      [
        ...currentStateSteps(ctx),
        [
          // Every current customer counts, consenting or not: assigning a shared device to the
          // consenting owner could publish a non-consenting person's readings.
          'ambiguous_serials',
          `SELECT serial_number FROM current_states
  WHERE serial_number IS NOT NULL
  GROUP BY serial_number HAVING count(DISTINCT email) > 1`,
        ],
        [
          'owners',
          `SELECT c.serial_number, c.share_with_research_as_of_date AS consent_date
  FROM ${ctx.ref('customer_curated')} c
  WHERE NOT EXISTS (SELECT 1 FROM ambiguous_serials a WHERE a.serial_number = c.serial_number)`,
        ],
        [
          'owned_readings',
          `SELECT s."serialNumber" AS serial_number, s."sensorReadingTime" AS sensor_reading_time,
    s."distanceFromObject" AS distance_from_object
  FROM ${ctx.ref('step_trainer_landing')} s
  JOIN owners o ON s."serialNumber" = o.serial_number
  ${ctx.policy === 'strict' ? 'WHERE s."sensorReadingTime" >= o.consent_date' : ''}`,
        ],
        [
          'per_key',
          `SELECT serial_number, sensor_reading_time, min(distance_from_object) AS distance_from_object,
    count(DISTINCT distance_from_object) AS distances
  FROM owned_readings GROUP BY serial_number, sensor_reading_time`,
        ],
      ],
      `SELECT serial_number, sensor_reading_time, distance_from_object FROM per_key WHERE distances = 1`,
    ),
};

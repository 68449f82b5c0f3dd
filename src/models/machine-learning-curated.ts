import type { Model } from '../pipeline/model.js';
import { withSteps } from './customer-states.js';

/**
 * Job 5: each trusted step-trainer reading paired with each trusted accelerometer reading of THE
 * SAME customer at the same millisecond. The join is on the customer and the time, never on time
 * alone. No direct identifier leaves: subject_id is an HMAC of the email under a secret key.
 */
export const machineLearningCurated: Model = {
  name: 'machine_learning_curated',
  description: "step-trainer readings paired with the same customer's accelerometer readings at the same instant",
  output: 'machine_learning_curated',
  inputs: ['step_trainer_trusted', 'accelerometer_trusted', 'customer_curated'],
  primaryInput: 'step_trainer_trusted',
  needsPseudonymKey: true,
  sql: (ctx) =>
    withSteps(
      [
        // One pseudonym per customer (a few thousand HMACs), not one per output row.
        [
          'subjects',
          `SELECT email, serial_number, ${ctx.dialect.hmacSha256Hex('email', ctx.pseudonymKey())} AS subject_id
  FROM ${ctx.ref('customer_curated')}`,
        ],
      ],
      `SELECT p.subject_id, s.sensor_reading_time, s.distance_from_object, a.x, a.y, a.z
FROM ${ctx.ref('step_trainer_trusted')} s
JOIN subjects p ON p.serial_number = s.serial_number
JOIN ${ctx.ref('accelerometer_trusted')} a ON a.email = p.email AND a.reading_time = s.sensor_reading_time`,
    ),
};

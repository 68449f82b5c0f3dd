import type { Model } from '../pipeline/model.js';
import { SUBJECTS, subjectSteps } from './subjects.js';

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
  reasons: {
    no_curated_owner: 'no curated customer owns the device (tables from different runs)',
    no_accelerometer_match: 'the owner has no accelerometer reading at that millisecond',
  },
  lookups: subjectSteps,
  // EXISTS, not a join with the distinct (subject, time) pairs: a semi-join needs no grouping. The
  // classified rows carry the subject number, not the email: a narrower table to store.
  classify: (ctx) => `SELECT s.sensor_reading_time, s.distance_from_object, p.id AS subject,
  CASE
    WHEN p.id IS NULL THEN 'no_curated_owner'
    WHEN NOT EXISTS (
      SELECT 1 FROM ${ctx.ref('accelerometer_trusted')} a JOIN ${ctx.dialect.ident(SUBJECTS)} o ON o.email = a.email
      WHERE o.id = p.id AND a.reading_time = s.sensor_reading_time
    ) THEN 'no_accelerometer_match'
  END AS _reason
FROM ${ctx.ref('step_trainer_trusted')} s
LEFT JOIN ${ctx.dialect.ident(SUBJECTS)} p ON p.serial_number = s.serial_number`,
  outputRule: {
    kind: 'expand',
    added: 'accelerometer_pairs',
    bound: {
      table: 'accelerometer_trusted',
      key: "each accelerometer reading pairs with at most one step-trainer reading: the owner's device at that millisecond",
    },
    sql: (ctx, kept) => `SELECT p.subject_id, k.sensor_reading_time, k.distance_from_object, a.x, a.y, a.z
FROM ${kept} k
JOIN ${ctx.dialect.ident(SUBJECTS)} p ON p.id = k.subject
JOIN ${ctx.ref('accelerometer_trusted')} a ON a.email = p.email AND a.reading_time = k.sensor_reading_time`,
  },
};

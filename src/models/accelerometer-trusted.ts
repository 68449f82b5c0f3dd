import type { Model } from '../pipeline/model.js';
import { withSteps } from './customer-states.js';

/** Job 2: readings of trusted customers from their consent on; no customer fields; duplicates once. */
export const accelerometerTrusted: Model = {
  name: 'accelerometer_landing_to_trusted',
  description: "readings whose user is a trusted customer, from that customer's consent date on",
  output: 'accelerometer_trusted',
  inputs: ['accelerometer_landing', 'customer_trusted'],
  primaryInput: 'accelerometer_landing',
  sql: (ctx) =>
    withSteps(
      [
        [
          'readings',
          `SELECT ${ctx.dialect.normalizeEmail('"user"')} AS email, "timestamp" AS reading_time, x, y, z
  FROM ${ctx.ref('accelerometer_landing')}`,
        ],
        ['consents', `SELECT email, share_with_research_as_of_date AS consent_date FROM ${ctx.ref('customer_trusted')}`],
      ],
      `SELECT DISTINCT r.email, r.reading_time, r.x, r.y, r.z
FROM readings r
JOIN consents c ON r.email = c.email
${ctx.policy === 'strict' ? 'WHERE r.reading_time >= c.consent_date' : ''}`,
    ),
};

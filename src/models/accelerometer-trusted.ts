import type { Model } from '../pipeline/model.js';
import { customerStatusSteps, withSteps } from './customer-states.js';

/** Job 2: readings of trusted customers from their consent on; no customer fields; duplicates once. */
export const accelerometerTrusted: Model = {
  name: 'accelerometer_landing_to_trusted',
  description: "readings whose user is a trusted customer, from that customer's consent date on",
  output: 'accelerometer_trusted',
  inputs: ['accelerometer_landing', 'customer_trusted', 'customer_landing'],
  primaryInput: 'accelerometer_landing',
  outputRule: { kind: 'distinct' },
  reasons: {
    unknown_customer: 'the user is no customer',
    ambiguous_customer: "the customer's latest records disagree",
    withdrawn: 'the customer withdrew research consent',
    no_consent: 'the customer never gave research consent',
    not_trusted: 'the customer is not in the customer_trusted table this run read',
    before_consent: 'taken before the customer consented (strict policy)',
  },
  classify: (ctx) =>
    withSteps(
      [
        ...customerStatusSteps(ctx),
        // One lookup row per email (thousands), so that each reading (millions) is joined once.
        [
          'customers',
          `SELECT coalesce(t.email, s.email) AS email, s.status, t.email IS NOT NULL AS is_trusted,
    t.share_with_research_as_of_date AS consent_date
  FROM customer_status s FULL JOIN ${ctx.ref('customer_trusted')} t ON t.email = s.email`,
        ],
        [
          'readings',
          `SELECT ${ctx.dialect.normalizeEmail('"user"')} AS email, "timestamp" AS reading_time, x, y, z
  FROM ${ctx.ref('accelerometer_landing')}`,
        ],
      ],
      `SELECT r.email, r.reading_time, r.x, r.y, r.z,
  CASE
    WHEN c.is_trusted THEN ${ctx.policy === 'strict' ? "CASE WHEN r.reading_time < c.consent_date THEN 'before_consent' END" : 'NULL'}
    WHEN c.status IS NULL THEN 'unknown_customer'
    WHEN c.status = 'trusted' THEN 'not_trusted'
    ELSE c.status
  END AS _reason
FROM readings r
LEFT JOIN customers c ON c.email = r.email`,
    ),
};

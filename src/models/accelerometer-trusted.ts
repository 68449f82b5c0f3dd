import type { Model } from '../pipeline/model.js';
import { CUSTOMER_STATUS, customerStatusSteps, withSteps } from './customer-states.js';

const USERS = 'accelerometer_trusted__users';

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
  // One pass of lookups over millions of readings: joining them twice costs less than storing them.
  classified: 'recomputed',
  lookups: (ctx) => [
    ...customerStatusSteps(ctx),
    [
      USERS,
      withSteps(
        [
          [
            'customers',
            `SELECT coalesce(t.email, s.email) AS email, s.status, t.email IS NOT NULL AS is_trusted,
    t.share_with_research_as_of_date AS consent_date
  FROM ${ctx.dialect.ident(CUSTOMER_STATUS)} s FULL JOIN ${ctx.ref('customer_trusted')} t ON t.email = s.email`,
          ],
        ],
        // The app's users as they wrote them, each with its customer (one row per distinct user):
        // each reading is then joined once, on its user as it stands, without normalizing the same
        // email at every one of millions of readings.
        `SELECT u."user", u.email, c.status, c.is_trusted, c.consent_date
FROM (SELECT "user", ${ctx.dialect.normalizeEmail('"user"')} AS email FROM (SELECT DISTINCT "user" FROM ${ctx.ref('accelerometer_landing')}) d) u
LEFT JOIN customers c ON c.email = u.email`,
      ),
    ],
  ],
  classify: (ctx) => `SELECT u.email, r."timestamp" AS reading_time, r.x, r.y, r.z,
  CASE
    WHEN u.is_trusted THEN ${ctx.policy === 'strict' ? `CASE WHEN r."timestamp" < u.consent_date THEN 'before_consent' END` : 'NULL'}
    WHEN u.status IS NULL THEN 'unknown_customer'
    WHEN u.status = 'trusted' THEN 'not_trusted'
    ELSE u.status
  END AS _reason
FROM ${ctx.ref('accelerometer_landing')} r
LEFT JOIN ${ctx.dialect.ident(USERS)} u ON u."user" = r."user"`,
};

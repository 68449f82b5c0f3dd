import type { Model } from '../pipeline/model.js';

/** Job 3: trusted customers that have at least one trusted accelerometer reading. */
export const customerCurated: Model = {
  name: 'customer_trusted_to_curated',
  description: 'trusted customers with at least one trusted accelerometer reading',
  output: 'customer_curated',
  inputs: ['customer_trusted', 'accelerometer_trusted'],
  primaryInput: 'customer_trusted',
  sql: (ctx) => `SELECT c.*
FROM ${ctx.ref('customer_trusted')} c
WHERE EXISTS (SELECT 1 FROM ${ctx.ref('accelerometer_trusted')} a WHERE a.email = c.email)`,
};

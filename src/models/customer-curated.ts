import type { Model } from '../pipeline/model.js';
import { CUSTOMER_COLUMNS } from './customer-states.js';

/** Job 3: trusted customers that have at least one trusted accelerometer reading. */
export const customerCurated: Model = {
  name: 'customer_trusted_to_curated',
  description: 'trusted customers with at least one trusted accelerometer reading',
  output: 'customer_curated',
  inputs: ['customer_trusted', 'accelerometer_trusted'],
  primaryInput: 'customer_trusted',
  outputRule: { kind: 'all' },
  reasons: { no_accelerometer_data: 'the customer has no trusted accelerometer reading' },
  classify: (ctx) => `SELECT ${CUSTOMER_COLUMNS.map((c) => `c.${c}`).join(', ')},
  CASE WHEN a.email IS NULL THEN 'no_accelerometer_data' END AS _reason
FROM ${ctx.ref('customer_trusted')} c
LEFT JOIN (SELECT DISTINCT email FROM ${ctx.ref('accelerometer_trusted')}) a ON a.email = c.email`,
};

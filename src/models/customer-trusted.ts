import type { Model } from '../pipeline/model.js';
import { currentStateSteps, withSteps } from './customer-states.js';

/** Job 1: the current state of each customer who consents to research. */
export const customerTrusted: Model = {
  name: 'customer_landing_to_trusted',
  description: 'current state of each customer whose shareWithResearchAsOfDate is not null',
  output: 'customer_trusted',
  inputs: ['customer_landing'],
  primaryInput: 'customer_landing',
  sql: (ctx) =>
    withSteps(
      currentStateSteps(ctx),
      `SELECT customer_name, email, phone, birth_day, serial_number, registration_date, last_update_date,
  share_with_research_as_of_date, share_with_public_as_of_date, share_with_friends_as_of_date
FROM current_states
WHERE versions = 1 AND share_with_research_as_of_date IS NOT NULL`,
    ),
};

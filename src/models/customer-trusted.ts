import type { Model } from '../pipeline/model.js';
import { CUSTOMER_COLUMNS, LATEST_VERSIONS, RANKED, rankedCustomerSteps } from './customer-states.js';

/** Job 1: the current state of each customer who consents to research. */
export const customerTrusted: Model = {
  name: 'customer_landing_to_trusted',
  description: 'current state of each customer whose shareWithResearchAsOfDate is not null',
  output: 'customer_trusted',
  inputs: ['customer_landing'],
  primaryInput: 'customer_landing',
  outputRule: { kind: 'all' },
  reasons: {
    superseded: 'an older record of a customer who has a newer one',
    ambiguous_customer: "the customer's latest records disagree, so its current state is unknown",
    duplicate: 'an identical copy of the current record (a re-export)',
    withdrawn: 'the current state has no research consent, an earlier record had it',
    no_consent: 'the customer never gave research consent',
  },
  lookups: (ctx) => rankedCustomerSteps(ctx),
  classify: (ctx) => `SELECT ${CUSTOMER_COLUMNS.map((column) => `c.${column}`).join(', ')},
  CASE
    WHEN NOT is_latest THEN 'superseded'
    WHEN versions > 1 THEN 'ambiguous_customer'
    WHEN record_id <> first_record THEN 'duplicate'
    WHEN share_with_research_as_of_date IS NOT NULL THEN NULL
    WHEN ever_consented = 1 THEN 'withdrawn'
    ELSE 'no_consent'
  END AS _reason
FROM ${ctx.dialect.ident(RANKED)} c JOIN ${ctx.dialect.ident(LATEST_VERSIONS)} v ON v.email = c.email`,
};

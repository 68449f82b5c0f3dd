/**
 * Customers as they stand now, shared by the jobs that need them. A customer may appear several
 * times in landing (updates, re-exports); the records with the greatest lastUpdateDate are its
 * current state. Identical re-exports collapse; if the latest records disagree the state is
 * ambiguous and the customer is held back rather than guessed.
 *
 * `customer_status` has one row per email: its current state's columns (NULL when ambiguous),
 * `status` ('trusted', 'ambiguous_customer', 'withdrawn' or 'no_consent') and `consent_date`.
 * `serial_claims` counts, per serial number, the different customers whose latest records claim it.
 */
import type { ModelContext, Step } from '../pipeline/model.js';

export type { Step };

export const CUSTOMER_COLUMNS = [
  'customer_name',
  'email',
  'phone',
  'birth_day',
  'serial_number',
  'registration_date',
  'last_update_date',
  'share_with_research_as_of_date',
  'share_with_public_as_of_date',
  'share_with_friends_as_of_date',
] as const;

/** Landing customer records renamed to the conformed columns, plus whether each is a latest record. */
export function conformedCustomerSteps(ctx: ModelContext): Step[] {
  const q = ctx.dialect;
  return [
    [
      'conformed',
      `SELECT
    "customerName" AS customer_name,
    ${q.normalizeEmail('"email"')} AS email,
    "phone" AS phone,
    "birthDay" AS birth_day,
    "serialNumber" AS serial_number,
    "registrationDate" AS registration_date,
    "lastUpdateDate" AS last_update_date,
    "shareWithResearchAsOfDate" AS share_with_research_as_of_date,
    "shareWithPublicAsOfDate" AS share_with_public_as_of_date,
    "shareWithFriendsAsOfDate" AS share_with_friends_as_of_date
  FROM ${ctx.ref('customer_landing')}`,
    ],
    [
      'conformed_ranked',
      `SELECT *,
    last_update_date = max(last_update_date) OVER (PARTITION BY email) AS is_latest,
    max(CASE WHEN share_with_research_as_of_date IS NOT NULL THEN 1 ELSE 0 END) OVER (PARTITION BY email) AS ever_consented
  FROM conformed`,
    ],
    [
      'latest_versions',
      `SELECT email, count(*) AS versions FROM (
    SELECT DISTINCT ${CUSTOMER_COLUMNS.join(', ')} FROM conformed_ranked WHERE is_latest) latest_distinct
  GROUP BY email`,
    ],
  ];
}

export function customerStatusSteps(ctx: ModelContext): Step[] {
  const current = CUSTOMER_COLUMNS.map((c) => `c.${c}`).join(', ');
  const blank = CUSTOMER_COLUMNS.map((c) => (c === 'email' ? 'email' : `NULL AS ${c}`)).join(', ');
  return [
    ...conformedCustomerSteps(ctx),
    [
      'customer_status',
      `SELECT DISTINCT ${current},
    CASE
      WHEN c.share_with_research_as_of_date IS NOT NULL THEN 'trusted'
      WHEN c.ever_consented = 1 THEN 'withdrawn'
      ELSE 'no_consent'
    END AS status,
    c.share_with_research_as_of_date AS consent_date
  FROM conformed_ranked c JOIN latest_versions v ON v.email = c.email
  WHERE c.is_latest AND v.versions = 1
  UNION ALL
  SELECT ${blank}, 'ambiguous_customer' AS status, NULL AS consent_date
  FROM latest_versions WHERE versions > 1`,
    ],
    [
      // Every current customer counts, consenting or not: giving a shared device to its consenting
      // owner could publish a non-consenting person's readings.
      'serial_claims',
      `SELECT serial_number, count(DISTINCT email) AS claimants, min(email) AS email
  FROM conformed_ranked WHERE is_latest AND serial_number IS NOT NULL
  GROUP BY serial_number`,
    ],
  ];
}

/** Render named steps as a WITH clause followed by the final SELECT. */
export function withSteps(steps: readonly Step[], select: string): string {
  const ctes = steps.map(([name, body]) => `${name} AS (\n  ${body}\n)`).join(',\n');
  return `WITH ${ctes}\n${select}`;
}

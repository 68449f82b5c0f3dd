/**
 * Customers as they stand now, shared by the jobs that need them. A customer may appear several
 * times in landing (updates, re-exports); the records with the greatest lastUpdateDate are its
 * current state. Identical re-exports collapse; if the latest records disagree the state is
 * ambiguous and the customer is held back rather than guessed.
 *
 * The steps are named like the relations they become: jobs declare them as lookups (stored once
 * per run and shared by every job that reads customer_landing), checks inline them as a WITH
 * clause, with the same SQL.
 *  - `customer_landing__ranked`: every valid landing record with conformed columns, a number
 *    (`record_id`), whether it is one of its customer's latest records, and whether any record of
 *    that customer had consent (emails are never NULL: the contract requires a valid one). The
 *    numbers are arbitrary, so they are only compared within one stored copy (jobs store it;
 *    checks, which may inline it, never read them);
 *  - `customer_landing__latest_versions`: per email, how many different latest records it has,
 *    and the number of the first latest record;
 *  - `customer_landing__status`: one row per email: its current state's columns (NULL when
 *    ambiguous), `status` ('trusted', 'ambiguous_customer', 'withdrawn' or 'no_consent') and
 *    `consent_date`;
 *  - `customer_landing__serial_claims`: per serial number, how many different customers' latest
 *    records claim it, and the (first) claimant.
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

export const RANKED = 'customer_landing__ranked';
export const LATEST_VERSIONS = 'customer_landing__latest_versions';
export const CUSTOMER_STATUS = 'customer_landing__status';
export const SERIAL_CLAIMS = 'customer_landing__serial_claims';

/** Landing customer records with conformed columns and whether each is a latest record; versions per email. */
export function rankedCustomerSteps(ctx: ModelContext): Step[] {
  const q = ctx.dialect;
  // Per-email facts come from a grouping joined back, not from windows over email: a window
  // partitions and sorts the records, a grouping is one hash aggregate.
  return [
    [
      RANKED,
      `WITH conformed AS (
    SELECT
      "customerName" AS customer_name,
      ${q.normalizeEmail('"email"')} AS email,
      "phone" AS phone,
      "birthDay" AS birth_day,
      "serialNumber" AS serial_number,
      "registrationDate" AS registration_date,
      "lastUpdateDate" AS last_update_date,
      "shareWithResearchAsOfDate" AS share_with_research_as_of_date,
      "shareWithPublicAsOfDate" AS share_with_public_as_of_date,
      "shareWithFriendsAsOfDate" AS share_with_friends_as_of_date,
      row_number() OVER () AS record_id
    FROM ${ctx.ref('customer_landing')})
  SELECT c.*, c.last_update_date = e.latest_update AS is_latest, e.ever_consented
  FROM conformed c
  JOIN (SELECT email, max(last_update_date) AS latest_update,
      max(CASE WHEN share_with_research_as_of_date IS NOT NULL THEN 1 ELSE 0 END) AS ever_consented
    FROM conformed GROUP BY email) e ON e.email = c.email`,
    ],
    [
      // The first record of each distinct latest record tells its re-exported copies apart.
      LATEST_VERSIONS,
      `SELECT email, count(*) AS versions, min(first_record) AS first_record FROM (
    SELECT ${CUSTOMER_COLUMNS.join(', ')}, min(record_id) AS first_record FROM ${q.ident(RANKED)} WHERE is_latest
    GROUP BY ${CUSTOMER_COLUMNS.join(', ')}) latest_distinct
  GROUP BY email`,
    ],
  ];
}

/** rankedCustomerSteps, then each customer's status and the claims on each serial number. */
export function customerStatusSteps(ctx: ModelContext): Step[] {
  const q = ctx.dialect;
  const current = CUSTOMER_COLUMNS.map((c) => `c.${c}`).join(', ');
  const blank = CUSTOMER_COLUMNS.map((c) => (c === 'email' ? 'email' : `NULL AS ${c}`)).join(', ');
  return [
    ...rankedCustomerSteps(ctx),
    [
      CUSTOMER_STATUS,
      `SELECT DISTINCT ${current},
    CASE
      WHEN c.share_with_research_as_of_date IS NOT NULL THEN 'trusted'
      WHEN c.ever_consented = 1 THEN 'withdrawn'
      ELSE 'no_consent'
    END AS status,
    c.share_with_research_as_of_date AS consent_date
  FROM ${q.ident(RANKED)} c JOIN ${q.ident(LATEST_VERSIONS)} v ON v.email = c.email
  WHERE c.is_latest AND v.versions = 1
  UNION ALL
  SELECT ${blank}, 'ambiguous_customer' AS status, NULL AS consent_date
  FROM ${q.ident(LATEST_VERSIONS)} WHERE versions > 1`,
    ],
    [
      // Every current customer counts, consenting or not: giving a shared device to its consenting
      // owner could publish a non-consenting person's readings.
      SERIAL_CLAIMS,
      `SELECT serial_number, count(DISTINCT email) AS claimants, min(email) AS email
  FROM ${q.ident(RANKED)} WHERE is_latest AND serial_number IS NOT NULL
  GROUP BY serial_number`,
    ],
  ];
}

/**
 * Render named steps as a WITH clause followed by the final SELECT. Steps already stored in this
 * run with the same SQL (`stored`) are left out: the SELECT reads the stored relation of that name.
 */
export function withSteps(steps: readonly Step[], select: string, stored?: ReadonlyMap<string, string>): string {
  const ctes = steps.filter(([name, body]) => stored?.get(name) !== body).map(([name, body]) => `${name} AS (\n  ${body}\n)`);
  return ctes.length ? `WITH ${ctes.join(',\n')}\n${select}` : select;
}

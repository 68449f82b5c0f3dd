/**
 * The current state of every customer, shared by the jobs that need it. A customer may appear
 * several times in landing (updates, re-exports); the records with the greatest lastUpdateDate
 * are its current state. Identical re-exports collapse; if the latest records disagree, the
 * state is ambiguous and `versions` > 1 (callers hold such customers back rather than guess).
 */
import type { ModelContext } from '../pipeline/model.js';

/** CTE bodies (name, SELECT) producing `current_states` with the conformed customer columns and `versions`. */
export function currentStateSteps(ctx: ModelContext): [string, string][] {
  const { dialect: q } = ctx;
  const landing = ctx.ref('customer_landing');
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
  FROM ${landing}`,
    ],
    [
      'latest_distinct',
      `SELECT DISTINCT c.*
  FROM conformed c
  JOIN (SELECT email, max(last_update_date) AS last_update_date FROM conformed GROUP BY email) m
    ON c.email = m.email AND c.last_update_date = m.last_update_date`,
    ],
    ['current_states', `SELECT *, count(*) OVER (PARTITION BY email) AS versions FROM latest_distinct`],
  ];
}

/** Render named steps as a WITH clause followed by the final SELECT. */
export function withSteps(steps: readonly [string, string][], select: string): string {
  const ctes = steps.map(([name, body]) => `${name} AS (\n  ${body}\n)`).join(',\n');
  return `WITH ${ctes}\n${select}`;
}

/**
 * The subjects of the machine-learning table: one row per curated customer with its pseudonym
 * (an HMAC of the email under the secret key) and a number that millions of rows can carry
 * through joins instead of the 64-character pseudonym. Computed once per customer, not per row.
 * Named like the lookup it becomes: the job stores it, and a check of the same run reads it.
 * The numbers follow the (unique) emails: an engine that inlines a WITH step at every reference
 * (Trino) must number the subjects the same way each time.
 */
import type { ModelContext, Step } from '../pipeline/model.js';

export const SUBJECTS = 'customer_curated__subjects';

export function subjectSteps(ctx: ModelContext): Step[] {
  return [
    [
      SUBJECTS,
      `SELECT row_number() OVER (ORDER BY email) AS id, email, serial_number,
  ${ctx.dialect.hmacSha256Hex('email', ctx.pseudonymKey())} AS subject_id
FROM ${ctx.ref('customer_curated')}`,
    ],
  ];
}

/**
 * Expectations on the trusted and curated tables, declared once and run by the engine: after every
 * run's jobs and before anything is published (write, audit, publish), and on demand by
 * `stedi check`. Each check is a SELECT of offending rows; an empty result is a pass.
 */
import type { ModelContext } from '../pipeline/model.js';
import { TABLES, type TableName } from '../lake/tables.js';
import { CUSTOMER_STATUS, customerStatusSteps, withSteps } from '../models/customer-states.js';
import { SUBJECTS, subjectSteps } from '../models/subjects.js';

export interface Check {
  readonly name: string;
  readonly table: TableName;
  readonly description: string;
  /** Tables (besides `table`) the check reads. */
  readonly reads: readonly TableName[];
  /** Only meaningful under this policy (lenient keeps readings from before consent by design). */
  readonly policy?: 'strict';
  readonly needsPseudonymKey?: boolean;
  sql(ctx: ModelContext): string;
  /**
   * A cheaper SELECT of one number `n` that is 0 only when the check surely passes; when it is not
   * 0, `sql` decides. Lets a check on millions of rows skip its exact, costlier form on sound data.
   */
  screen?(ctx: ModelContext): string | undefined;
}

const unique = (table: TableName, columns: string[]): Check => ({
  name: 'unique_key',
  table,
  description: `(${columns.join(', ')}) identifies at most one row`,
  reads: [],
  sql: (ctx) => {
    const key = columns.join(', ');
    const rows = ctx.ref(table);
    // Equal keys have equal hashes, so only rows whose hash repeats can repeat a key: grouping
    // millions of one-number hashes is cheaper than grouping the key columns themselves, and the
    // exact grouping below then sees only those candidates (none, when the table is sound).
    const hash = ctx.dialect.keyHash?.(columns);
    const candidates = hash ? ` WHERE ${hash} IN (SELECT ${hash} FROM ${rows} GROUP BY 1 HAVING count(*) > 1)` : '';
    return `SELECT ${key}, count(*) AS copies FROM ${rows}${candidates} GROUP BY ${key} HAVING count(*) > 1`;
  },
  // As many distinct hashes as rows means no key repeats (equal keys hash equally); fewer means
  // a repeated key or a hash collision, which the exact grouping tells apart.
  screen: (ctx) => {
    const hash = ctx.dialect.keyHash?.(columns);
    return hash && `SELECT count(*) - count(DISTINCT ${hash}) AS n FROM ${ctx.ref(table)}`;
  },
});

const notNull = (table: TableName, columns: string[]): Check => ({
  name: 'required_columns',
  table,
  description: `${columns.join(', ')} are never null`,
  reads: [],
  sql: (ctx) => `SELECT * FROM ${ctx.ref(table)} WHERE ${columns.map((c) => `${c} IS NULL`).join(' OR ')}`,
});

const references = (table: TableName, column: string, target: TableName, targetColumn: string): Check => ({
  name: 'reference',
  table,
  description: `every ${column} is a ${targetColumn} of ${target}`,
  reads: [target],
  sql: (ctx) =>
    `SELECT t.* FROM ${ctx.ref(table)} t LEFT JOIN (SELECT DISTINCT ${targetColumn} AS k FROM ${ctx.ref(target)}) r ON r.k = t.${column} WHERE r.k IS NULL`,
});

const required = (table: TableName, except: string[] = []): string[] =>
  TABLES[table].columns.map((c) => c.name).filter((c) => !except.includes(c));

const IDENTIFIERS = ['customer_name', 'email', 'phone', 'birth_day', 'serial_number'];

export const CHECKS: readonly Check[] = [
  unique('customer_trusted', ['email']),
  unique('customer_curated', ['email']),
  unique('accelerometer_trusted', ['email', 'reading_time', 'x', 'y', 'z']),
  unique('step_trainer_trusted', ['serial_number', 'sensor_reading_time']),
  unique('machine_learning_curated', ['subject_id', 'sensor_reading_time', 'x', 'y', 'z']),
  notNull('customer_trusted', required('customer_trusted', ['share_with_public_as_of_date', 'share_with_friends_as_of_date'])),
  notNull('customer_curated', required('customer_curated', ['share_with_public_as_of_date', 'share_with_friends_as_of_date'])),
  notNull('accelerometer_trusted', required('accelerometer_trusted')),
  notNull('step_trainer_trusted', required('step_trainer_trusted')),
  notNull('machine_learning_curated', required('machine_learning_curated')),
  references('accelerometer_trusted', 'email', 'customer_trusted', 'email'),
  references('customer_curated', 'email', 'customer_trusted', 'email'),
  references('step_trainer_trusted', 'serial_number', 'customer_curated', 'serial_number'),
  {
    name: 'consenting_current_customer',
    table: 'customer_trusted',
    description: "every customer is a current state of landing with research consent (none withdrawn, none erased)",
    reads: ['customer_landing'],
    sql: (ctx) =>
      withSteps(
        customerStatusSteps(ctx),
        `SELECT t.* FROM ${ctx.ref('customer_trusted')} t
LEFT JOIN ${ctx.dialect.ident(CUSTOMER_STATUS)} s ON s.email = t.email AND s.status = 'trusted'
  AND s.consent_date = t.share_with_research_as_of_date
WHERE s.email IS NULL`,
        ctx.stored,
      ),
  },
  {
    name: 'no_reading_before_consent',
    table: 'accelerometer_trusted',
    description: "no reading predates its customer's consent date",
    reads: ['customer_trusted'],
    policy: 'strict',
    sql: (ctx) => `SELECT a.* FROM ${ctx.ref('accelerometer_trusted')} a JOIN ${ctx.ref('customer_trusted')} c ON c.email = a.email
WHERE a.reading_time < c.share_with_research_as_of_date`,
  },
  {
    name: 'no_reading_before_consent',
    table: 'step_trainer_trusted',
    description: "no reading predates its device owner's consent date",
    reads: ['customer_curated'],
    policy: 'strict',
    sql: (ctx) => `SELECT s.* FROM ${ctx.ref('step_trainer_trusted')} s JOIN ${ctx.ref('customer_curated')} c ON c.serial_number = s.serial_number
WHERE s.sensor_reading_time < c.share_with_research_as_of_date`,
  },
  {
    name: 'no_identifier_column',
    table: 'machine_learning_curated',
    description: `no direct identifier column (${IDENTIFIERS.join(', ')})`,
    reads: [],
    sql: (ctx) => {
      const leaked = TABLES.machine_learning_curated.columns.filter((c) => IDENTIFIERS.includes(c.name));
      return leaked.length === 0
        ? `SELECT 1 AS leaked FROM ${ctx.ref('machine_learning_curated')} WHERE 1 = 0`
        : `SELECT ${leaked.map((c) => c.name).join(', ')} FROM ${ctx.ref('machine_learning_curated')}`;
    },
  },
  {
    name: 'same_customer_pairing',
    table: 'machine_learning_curated',
    description: "each row pairs the subject's own step-trainer reading with the subject's own accelerometer reading at that millisecond",
    reads: ['customer_curated', 'step_trainer_trusted', 'accelerometer_trusted'],
    needsPseudonymKey: true,
    sql: (ctx) =>
      withSteps(
        [
          // A number per subject, so that the readings of millions of rows are matched on numbers
          // rather than on emails and serial numbers.
          ...subjectSteps(ctx),
          [
            'steps',
            `SELECT p.id, s.sensor_reading_time, s.distance_from_object FROM ${ctx.ref('step_trainer_trusted')} s JOIN ${ctx.dialect.ident(SUBJECTS)} p ON p.serial_number = s.serial_number`,
          ],
          [
            'readings',
            `SELECT p.id, a.reading_time, a.x, a.y, a.z FROM ${ctx.ref('accelerometer_trusted')} a JOIN ${ctx.dialect.ident(SUBJECTS)} p ON p.email = a.email`,
          ],
        ],
        `SELECT m.* FROM ${ctx.ref('machine_learning_curated')} m
LEFT JOIN ${ctx.dialect.ident(SUBJECTS)} p ON p.subject_id = m.subject_id
LEFT JOIN steps s ON s.id = p.id AND s.sensor_reading_time = m.sensor_reading_time AND s.distance_from_object = m.distance_from_object
-- No DISTINCT needed: a repeated reading could only repeat matched rows, and only unmatched ones count.
LEFT JOIN readings a ON a.id = p.id AND a.reading_time = m.sensor_reading_time AND a.x = m.x AND a.y = m.y AND a.z = m.z
WHERE p.id IS NULL OR s.id IS NULL OR a.id IS NULL`,
        ctx.stored,
      ),
  },
];

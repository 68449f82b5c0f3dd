/**
 * A job is a declaration, in the manner of a dbt model: what it reads, what it writes, the SQL
 * (a SELECT built from named steps), and what it is. The runner derives the order from the
 * inputs; a model never calls another model.
 */
import type { Dialect } from '../engines/dialect.js';
import type { TableName } from '../lake/tables.js';

/** strict: readings count only from the consent date on (the default). lenient: all of a consenting customer's data. */
export type Policy = 'strict' | 'lenient';
export const POLICIES: readonly Policy[] = ['strict', 'lenient'];

export interface ModelContext {
  readonly dialect: Dialect;
  readonly policy: Policy;
  /** The relation holding `table` for this run (a landing table's valid records, or an output). */
  ref(table: TableName): string;
  /** The pseudonym key; only models that declare `needsPseudonymKey` may ask for it. */
  pseudonymKey(): Buffer;
}

export interface Model {
  /** The job's name, as `stedi run --jobs` takes it. */
  readonly name: string;
  readonly description: string;
  readonly output: TableName;
  readonly inputs: readonly TableName[];
  /** The input whose rows the run log counts as this job's "rows in". */
  readonly primaryInput: TableName;
  readonly needsPseudonymKey?: boolean;
  /** A SELECT whose columns are exactly the output table's columns, in order. */
  sql(ctx: ModelContext): string;
}

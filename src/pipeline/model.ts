/**
 * A job is a declaration, in the manner of a dbt model: what it reads, what it writes, the SQL
 * (built from named steps) and how its rows are accounted for. The runner derives the order from
 * the inputs; a model never calls another model.
 *
 * Accounting is part of the model, not an afterthought: `classify` gives every row of the primary
 * input a removal reason (NULL = kept), so the ledger "rows in = rows out + rows removed per reason"
 * is computed from the same SQL that decides what is kept.
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
  /**
   * Lookups stored so far in this run (name -> SQL). A WITH clause built by `withSteps` leaves out
   * the steps stored with the same SQL, and reads the stored relation of that name instead.
   */
  readonly stored?: ReadonlyMap<string, string>;
}

/**
 * How kept rows become output rows:
 * - `all`: each kept row is one output row;
 * - `distinct`: exact duplicates collapse to one, and the collapsed rows are counted as `duplicate`;
 * - `expand`: `sql` builds the output from the kept rows and may add rows (one kept step-trainer
 *   reading pairs with several accelerometer readings); the surplus is counted under `added`, and
 *   may never exceed `bound` rows in total (the output may not multiply beyond what its keys allow).
 */
export type OutputRule =
  | { readonly kind: 'all' }
  | { readonly kind: 'distinct' }
  | {
      readonly kind: 'expand';
      readonly added: string;
      sql(ctx: ModelContext, kept: string): string;
      /** At most this many output rows, and why (named in the error when exceeded). */
      readonly bound: { readonly table: TableName; readonly key: string };
    };

/** A named SELECT: a step of a WITH clause, or a relation the runner stores. */
export type Step = readonly [name: string, select: string];

export interface Model {
  /** The job's name, as `stedi run --jobs` takes it. */
  readonly name: string;
  readonly description: string;
  readonly output: TableName;
  readonly inputs: readonly TableName[];
  /** The input whose rows the ledger accounts for. */
  readonly primaryInput: TableName;
  readonly needsPseudonymKey?: boolean;
  /**
   * A SELECT with one row per row of the primary input: the columns `outputRule` needs (for `all`
   * and `distinct`, exactly the output table's columns) plus `_reason`, NULL for kept rows and a
   * reason code for removed ones.
   */
  classify(ctx: ModelContext): string;
  /**
   * Small relations (one row per customer or per distinct value) that `classify` joins millions
   * of rows to: the runner stores each, in order, before classifying and drops them after the job,
   * so the engine plans those joins knowing their true size. Names start with `<output>__`.
   */
  lookups?(ctx: ModelContext): readonly Step[];
  /**
   * How the runner holds the classified rows, which it reads twice (for the ledger, then for the
   * output): `stored` (the default) evaluates `classify` once into a table, for classifications
   * that aggregate over their input; `recomputed` evaluates it each time, for one pass of lookups
   * over millions of input rows, where storing them costs more than joining them twice.
   */
  readonly classified?: 'stored' | 'recomputed';
  readonly outputRule: OutputRule;
  /** Every reason code `classify` can produce, documented for the ledger. */
  readonly reasons: Readonly<Record<string, string>>;
}

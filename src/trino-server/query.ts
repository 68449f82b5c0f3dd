/**
 * Running one SQL statement through trino-client and getting rows or an exception.
 *
 * trino-client does not throw on SQL errors: a failure arrives as `error` on a result page, and an
 * immediate failure (no nextUri) comes back only as the iterator's final `done` value, which a
 * `for await` loop never sees. This walks the iterator by hand and turns any error into a throw.
 */
import { BasicAuth, Trino, type QueryError, type QueryResult } from 'trino-client';
import { StediError } from '../errors.js';

export interface QueryOutput {
  readonly columns: { name: string; type: string }[];
  readonly rows: unknown[][];
}

export class TrinoQueryError extends StediError {
  readonly errorName: string;
  constructor(sql: string, error: QueryError) {
    super('ENGINE', `Trino ${error.errorName}: ${error.message} (in: ${sql.replace(/\s+/g, ' ').slice(0, 120)})`);
    this.errorName = error.errorName;
  }
}

export function connect(server: string, opts: { catalog?: string; schema?: string; user?: string } = {}): Trino {
  return Trino.create({
    server,
    ...(opts.catalog ? { catalog: opts.catalog } : {}),
    ...(opts.schema ? { schema: opts.schema } : {}),
    // Without auth the user comes from $USER, which CI may not set. No password: plain HTTP refuses it.
    auth: new BasicAuth(opts.user ?? 'stedi'),
  });
}

export async function query(trino: Trino, sql: string): Promise<QueryOutput> {
  const it = await trino.query(sql);
  let columns: QueryOutput['columns'] | undefined;
  const rows: unknown[][] = [];
  let pages = 0;
  for (;;) {
    const r = await it.next();
    const page = r.value as QueryResult | undefined;
    if (page?.error) throw new TrinoQueryError(sql, page.error);
    // A `done` value repeats the last page already seen, unless no page was seen at all.
    if (page && (!r.done || pages === 0)) {
      columns ??= page.columns;
      if (page.data) rows.push(...(page.data as unknown[][]));
      pages++;
    }
    if (r.done) break;
  }
  return { columns: columns ?? [], rows };
}

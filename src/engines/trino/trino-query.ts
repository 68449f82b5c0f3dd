/**
 * Running one SQL statement through trino-client and getting rows or an exception.
 *
 * trino-client does not throw on SQL errors: a failure arrives as `error` on a result page, and an
 * immediate failure (no nextUri) comes back only as the iterator's final `done` value, which a
 * `for await` loop never sees. This walks the iterator by hand and turns any error into a throw.
 * HTTP failures (connection refused, 401) do reject; they become one-line StediErrors that name
 * the server, never the password.
 */
import { BasicAuth, Trino, type QueryError, type QueryResult, type SecureContextOptions, type Session } from 'trino-client';
import { StediError } from '../../errors.js';

export interface QueryOutput {
  readonly columns: { name: string; type: string }[];
  readonly rows: unknown[][];
}

export interface ConnectOptions {
  catalog?: string;
  schema?: string;
  user?: string;
  /** Sent only over HTTPS (the server refuses a password over plain HTTP). */
  password?: string | undefined;
  ssl?: SecureContextOptions | undefined;
  session?: Session;
}

export class TrinoQueryError extends StediError {
  readonly errorName: string;
  constructor(sql: string, error: QueryError) {
    super('ENGINE', `Trino ${error.errorName}: ${firstLine(error.message)} (in: ${sql.replace(/\s+/g, ' ').slice(0, 120)})`, {
      ...(hintFor(error.errorName) ? { hint: hintFor(error.errorName) } : {}),
    });
    this.errorName = error.errorName;
  }
}

function hintFor(errorName: string): string | undefined {
  switch (errorName) {
    case 'CATALOG_NOT_FOUND':
      return 'check --trino-catalog (STEDI_TRINO_CATALOG); SHOW CATALOGS lists what the server has';
    case 'SCHEMA_NOT_FOUND':
      return 'check --trino-schema (STEDI_TRINO_SCHEMA), or leave it out to let stedi create its own';
    default:
      return undefined;
  }
}

const firstLine = (s: string): string => s.split('\n')[0] ?? s;

/** The server's address as shown in messages: scheme, host and port only (no credentials, no path). */
export function serverLabel(server: string): string {
  try {
    const u = new URL(server);
    return `${u.protocol}//${u.host}`;
  } catch {
    return server;
  }
}

export function connect(server: string, opts: ConnectOptions = {}): Trino {
  return Trino.create({
    server,
    ...(opts.catalog ? { catalog: opts.catalog } : {}),
    ...(opts.schema ? { schema: opts.schema } : {}),
    // Without auth the user comes from $USER, which CI may not set.
    auth: new BasicAuth(opts.user ?? 'stedi', opts.password),
    ...(opts.ssl ? { ssl: opts.ssl } : {}),
    ...(opts.session ? { session: opts.session } : {}),
  });
}

/** A rejected HTTP request as a one-line error naming the server. */
export function httpError(server: string, user: string, err: unknown): StediError {
  const e = err as { code?: string; message?: string; response?: { status?: number; data?: unknown } };
  const where = serverLabel(server);
  const status = e.response?.status;
  if (status === 401 || status === 403) {
    const detail = typeof e.response?.data === 'string' ? `: ${firstLine(e.response.data)}` : '';
    return new StediError('ENGINE', `Trino server at ${where} refused authentication for user "${user}" (HTTP ${status}${detail})`, {
      cause: err,
      hint: 'check STEDI_TRINO_USER / STEDI_TRINO_PASSWORD; a password needs an https:// URL',
    });
  }
  if (status !== undefined) {
    return new StediError('ENGINE', `Trino server at ${where} answered HTTP ${status}`, { cause: err });
  }
  const code = e.code ?? firstLine(e.message ?? String(err));
  return new StediError('ENGINE', `Trino server at ${where} is unreachable (${code})`, {
    cause: err,
    hint: "check --trino-url (STEDI_TRINO_URL); for a local server run 'npm run trino:start'",
  });
}

export async function query(trino: Trino, sql: string, context: { server?: string; user?: string } = {}): Promise<QueryOutput> {
  let columns: QueryOutput['columns'] | undefined;
  const rows: unknown[][] = [];
  let pages = 0;
  try {
    const it = await trino.query(sql);
    for (;;) {
      const r = await it.next();
      const page = r.value as QueryResult | undefined;
      if (page?.error) throw new TrinoQueryError(sql, page.error);
      // A `done` value repeats the last page already seen, unless no page was seen at all.
      if (page && (!r.done || pages === 0)) {
        if (page.columns) columns ??= page.columns;
        if (page.data) rows.push(...(page.data as unknown[][]));
        pages++;
      }
      if (r.done) break;
    }
  } catch (err) {
    if (err instanceof StediError) throw err;
    throw httpError(context.server ?? '(trino)', context.user ?? 'stedi', err);
  }
  return { columns: columns ?? [], rows };
}

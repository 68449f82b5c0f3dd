/** The local server's tools query it through the Trino engine's client wrapper (one place for it). */
export { connect, query, TrinoQueryError, type QueryOutput } from '../engines/trino/trino-query.js';

/**
 * The default engine: DuckDB in-process. Landing lines are read as text (so a malformed line is
 * a row to report, not a failed scan), intermediate results live in tables of the in-memory
 * database (not TEMP ones: those only their own connection sees, and sessions made by `fork`
 * share every relation), and each output is written once as a Parquet file.
 */
import { existsSync, renameSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Engine, LoadValue, UnreadableLine } from '../engine.js';
import type { LandingSource, TableName } from '../../lake/tables.js';
import { duckdbDialect as d } from './duckdb-dialect.js';
import { StediError } from '../../errors.js';

/**
 * Longest landing line read (bytes); longer lines are set aside as unreadable. 16 MiB is also the
 * ingestion service's default request limit: no record it accepts comes near it. Also the size of
 * the reader's buffers, the smallest DuckDB allows: left to itself it sizes them as a multiple of
 * the longest line, which made reading 10M lines about 30% slower; and smaller buffers let one
 * file be read by several threads (a source of few files reads faster).
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface DuckDbEngineOptions {
  /** DuckDB memory_limit, e.g. '8GB'; DuckDB's default (80% of RAM) when absent. */
  memoryLimit?: string;
  threads?: number;
}

/** What the sessions of one database share. */
interface SharedState {
  readonly instance: DuckDBInstance;
  /** Landing relation -> its rejects table (see attachLanding). */
  readonly rejectTables: Map<string, string>;
  /** What each relation made by any session is, for dropRelation. */
  readonly kinds: Map<string, 'TABLE' | 'VIEW'>;
  /** Every session's connection, closed with the database. */
  readonly connections: DuckDBConnection[];
}

export class DuckDbEngine implements Engine {
  readonly dialect = d;

  private constructor(
    private readonly shared: SharedState,
    private readonly conn: DuckDBConnection,
    /** The session `open` made, which owns the database; forks only add connections. */
    private readonly owner: boolean,
  ) {}

  static async open(options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const config: Record<string, string> = {
      // Row order carries no meaning in the lake; dropping it lets DuckDB stream and parallelise.
      preserve_insertion_order: 'false',
      // Everything needed (JSON, Parquet) is built in; never reach for the network mid-run.
      autoinstall_known_extensions: 'false',
    };
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    try {
      const instance = await DuckDBInstance.create(':memory:', config);
      const shared: SharedState = { instance, rejectTables: new Map(), kinds: new Map(), connections: [] };
      return new DuckDbEngine(shared, await connect(shared), true);
    } catch (err) {
      throw engineError(err);
    }
  }

  /**
   * Another connection to the same database. Each runs one statement at a time; two running at
   * once share DuckDB's threads, which fills the cores while one runs small statements.
   */
  async fork(): Promise<Engine | undefined> {
    // Operator trees (STEDI_TRACE_SQL=profile:DIR) are kept one statement at a time.
    if (profileDir()) return undefined;
    try {
      return new DuckDbEngine(this.shared, await connect(this.shared), false);
    } catch (err) {
      throw engineError(err);
    }
  }

  async describe(): Promise<string> {
    const [row] = await this.query<{ v: string }>('SELECT version() AS v');
    return `duckdb ${row?.v ?? '?'}`;
  }

  async attachLanding(_source: LandingSource, files: readonly string[], relation: string): Promise<void> {
    // Blank lines stay (the landing step skips them: a filter here would cost every line). The
    // rejects table is filled by the scan that reads the view (the landing step reads it once); it
    // is a TEMP table of that scan's connection, so the landing step reads it through the same
    // session that read the lines.
    const rejects = `${relation}__rejects`;
    this.shared.rejectTables.set(relation, rejects);
    this.shared.kinds.set(relation, 'VIEW');
    await this.run(`CREATE OR REPLACE VIEW ${d.ident(relation)} AS
SELECT filename AS _file, CASE WHEN suffix(line, chr(13)) THEN rtrim(line, chr(13)) ELSE line END AS _raw
FROM ${readLines(files, rejects)}`);
  }

  async unreadableLines(relation: string): Promise<UnreadableLine[]> {
    const rejects = this.shared.rejectTables.get(relation);
    if (!rejects) return [];
    const rows = await this.query<{ file: string; line: bigint; raw: string | null; reason: string }>(
      `SELECT s.file_path AS file, e.line, e.csv_line AS raw, e.error_type AS reason
       FROM ${d.ident(rejects)} e JOIN ${d.ident(`${rejects}_scan`)} s ON s.scan_id = e.scan_id AND s.file_id = e.file_id
       ORDER BY file, e.line`,
    );
    return rows.map((r) => ({ file: r.file, line: Number(r.line), raw: r.raw ?? '', reason: r.reason.toLowerCase() }));
  }

  async loadRows(
    relation: string,
    columns: readonly { name: string; type: 'VARCHAR' | 'BIGINT' }[],
    rows: readonly LoadValue[][],
  ): Promise<void> {
    await this.run(`CREATE OR REPLACE TABLE ${d.ident(relation)} (${columns.map((c) => `${d.ident(c.name)} ${c.type}`).join(', ')})`);
    this.shared.kinds.set(relation, 'TABLE');
    const appender = await this.conn.createAppender(relation);
    try {
      for (const row of rows) {
        row.forEach((value, i) => {
          if (value === null) appender.appendNull();
          else if (columns[i]?.type === 'BIGINT') appender.appendBigInt(BigInt(value));
          else appender.appendVarchar(String(value));
        });
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  async attachPublished(_table: TableName, parquetFile: string, relation: string): Promise<void> {
    await this.defineView(relation, `SELECT * FROM read_parquet(${d.str(parquetFile)})`);
  }

  async defineView(relation: string, select: string): Promise<void> {
    await this.run(`CREATE OR REPLACE VIEW ${d.ident(relation)} AS ${select}`);
    this.shared.kinds.set(relation, 'VIEW');
  }

  async materialize(relation: string, select: string): Promise<number> {
    // CREATE TABLE AS answers with the number of rows it stored.
    const [row] = await this.query<{ Count: bigint | number }>(`CREATE OR REPLACE TABLE ${d.ident(relation)} AS ${select}`);
    this.shared.kinds.set(relation, 'TABLE');
    return Number(row?.Count ?? 0);
  }

  async dropRelation(relation: string): Promise<void> {
    // Dropping a view as a table (or the reverse) is an error in DuckDB: drop it as what it was made.
    const kind = this.shared.kinds.get(relation);
    if (!kind) return;
    await this.run(`DROP ${kind} IF EXISTS ${d.ident(relation)}`);
    this.shared.kinds.delete(relation);
  }

  async writeParquet(relation: string, columns: readonly string[], file: string): Promise<void> {
    const cols = columns.map((c) => d.ident(c)).join(', ');
    await this.run(
      `COPY (SELECT ${cols} FROM ${d.ident(relation)}) TO ${d.str(file)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  }

  async query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
    try {
      const started = Date.now();
      const reader = await this.conn.runAndReadAll(sql);
      traceSql(sql, started);
      return reader.getRowObjects() as T[];
    } catch (err) {
      throw engineError(err);
    }
  }

  async close(): Promise<void> {
    if (this.owner) {
      for (const conn of this.shared.connections) conn.closeSync();
      this.shared.instance.closeSync();
    } else {
      this.conn.closeSync();
    }
    await Promise.resolve();
  }

  private async run(sql: string): Promise<void> {
    try {
      const started = Date.now();
      await this.conn.run(sql);
      traceSql(sql, started);
    } catch (err) {
      throw engineError(err);
    }
  }
}

/**
 * STEDI_TRACE_SQL=1 prints each statement's duration and start to stderr (=full: the whole text):
 * the way to see where a run spends its time.
 */
function traceSql(sql: string, startedMs: number): void {
  const mode = process.env.STEDI_TRACE_SQL;
  if (!mode) return;
  const ms = Date.now() - startedMs;
  const text = mode === 'full' ? sql : sql.slice(0, 160).replace(/\s+/g, ' ');
  process.stderr.write(`sql ${String(ms).padStart(6)} ms  ${text}\n`);
  const profiles = profileDir();
  const last = profiles && path.join(profiles, 'last.txt');
  if (profiles && last && existsSync(last)) {
    // DuckDB rewrites last.txt after every query (not after DDL): keep each one's operator tree.
    profileCount++;
    renameSync(last, path.join(profiles, `${String(profileCount).padStart(4, '0')}-${ms}ms.txt`));
  }
}

let profileCount = 0;

/** STEDI_TRACE_SQL=profile:DIR also writes each statement's operator tree (CPU time per operator) into DIR. */
function profileDir(): string | undefined {
  const mode = process.env.STEDI_TRACE_SQL;
  return mode?.startsWith('profile:') ? mode.slice('profile:'.length) : undefined;
}

/** A new connection to the shared database, profiled like every other when STEDI_TRACE_SQL asks. */
async function connect(shared: SharedState): Promise<DuckDBConnection> {
  const conn = await shared.instance.connect();
  shared.connections.push(conn);
  const profiles = profileDir();
  if (profiles) {
    await fs.mkdir(profiles, { recursive: true });
    await conn.run(`SET enable_profiling = 'query_tree'; SET profiling_output = ${d.str(path.join(profiles, 'last.txt'))}`);
  }
  return conn;
}

/**
 * A scan of landing files as lines: column `line` (one VARCHAR per line) and `filename`. \x01 never
 * occurs in valid JSON text, quoting is off, lines end at \n only. Lines that cannot be read as
 * text (bad UTF-8, over MAX_LINE_BYTES) are not dropped: store_rejects keeps them, with their line
 * numbers, in table `rejects` (and `<rejects>_scan`). Shared by the landing step and the line
 * counts of `stedi status`, so both read the same lines.
 */
export function readLines(files: readonly string[], rejects: string): string {
  return `read_csv([${files.map((f) => d.str(f)).join(', ')}], columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '',
  escape = '', header = false, filename = true, auto_detect = false, strict_mode = false, new_line = '\\n',
  max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${MAX_LINE_BYTES}, ignore_errors = true, store_rejects = true,
  rejects_table = ${d.str(rejects)}, rejects_scan = ${d.str(`${rejects}_scan`)})`;
}

function engineError(err: unknown): StediError {
  const message = err instanceof Error ? err.message : String(err);
  return new StediError('ENGINE', `DuckDB: ${message.split('\n')[0] ?? message}`, { cause: err });
}

/**
 * What the pipeline needs from an engine: a few I/O operations, plus the dialect that writes
 * its SQL. Engine folders (engines/duckdb, engines/trino) implement this; nothing outside them
 * knows which engine runs.
 */
import type { Dialect } from './dialect.js';
import type { LandingSource, TableName } from '../lake/tables.js';

export interface LandingFile {
  readonly path: string;
}

/** A landing line the engine could not even read as text (bad encoding, over-long), with where it was. */
export interface UnreadableLine {
  readonly file: string;
  readonly line: number;
  readonly raw: string;
  readonly reason: string;
}

export type LoadValue = string | number | null;

export interface Engine {
  readonly dialect: Dialect;
  /** Human name for logs and the run log, e.g. `duckdb 1.5.6`. */
  describe(): Promise<string>;
  /**
   * Make the landing files of `source` visible as relation `relation`, one row per line with
   * columns `_file` (absolute path as given) and `_raw` (the line's text). Blank lines (NULL, or
   * only spaces, tabs and CR) may be among them: they are not records, and the landing step skips
   * them, so an engine need not spend a filter on every line.
   */
  attachLanding(source: LandingSource, files: readonly string[], relation: string): Promise<void>;
  /**
   * Lines of the last attached landing relation that could not be read as text, with their line
   * numbers; they are quarantined as invalid_json. Engines that read every line return [].
   */
  unreadableLines(relation: string): Promise<UnreadableLine[]>;
  /** Create relation `relation` from rows held in memory (small: quarantine records). */
  loadRows(relation: string, columns: readonly { name: string; type: 'VARCHAR' | 'BIGINT' }[], rows: readonly LoadValue[][]): Promise<void>;
  /** Make a published table's current Parquet version visible as relation `relation`. */
  attachPublished(table: TableName, parquetFile: string, relation: string): Promise<void>;
  /** Name `select` as relation `relation`, evaluated each time it is read. */
  defineView(relation: string, select: string): Promise<void>;
  /** Evaluate `select` once into relation `relation` (later SQL reads it by name); returns its row count. */
  materialize(relation: string, select: string): Promise<number>;
  /** Forget a relation made by defineView or materialize (frees its memory); absent is fine. */
  dropRelation(relation: string): Promise<void>;
  /** Write relation `relation` as one Parquet file at `file` with the given column order. */
  writeParquet(relation: string, columns: readonly string[], file: string): Promise<void>;
  /** Run a query whose result is small (counts, samples) and return plain rows. */
  query<T extends Record<string, unknown>>(sql: string): Promise<T[]>;
  /**
   * Another session on the same relations, to run independent work at the same time; each session
   * runs one statement at a time. Undefined (or absent) when the engine runs everything on one.
   * Closing the original session closes its forks.
   */
  fork?(): Promise<Engine | undefined>;
  close(): Promise<void>;
}

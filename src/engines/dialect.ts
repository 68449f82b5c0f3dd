/**
 * A dialect is pure SQL generation for one engine: no I/O, testable without a database.
 * Jobs are written once against this interface; each engine folder supplies its own.
 */
import type { Column } from '../lake/tables.js';

export interface Dialect {
  readonly name: 'duckdb' | 'trino';
  /** Quote an identifier (never concatenate raw names into SQL). */
  ident(name: string): string;
  /** Render a string literal. */
  str(value: string): string;
  /** Render an integer literal (BIGINT). */
  int(value: number | bigint): string;
  /** Trimmed, lower-cased text: how emails are compared (DESIGN.md). */
  normalizeEmail(expr: string): string;
  /**
   * Hex HMAC-SHA256 of the UTF-8 text `expr` under `key`. Engines differ: Trino has
   * hmac_sha256, DuckDB composes it from sha256 over blobs (RFC 2104).
   */
  hmacSha256Hex(expr: string, key: Buffer): string;
  /**
   * A relation with one typed column per contract column, parsed from the raw JSON line column
   * `rawColumn` of `relation`, plus `_valid_json` (the line parses as JSON) and every column of
   * `relation` passed through. Keys are matched exactly as the contract spells them.
   */
  parseJsonLines(relation: string, rawColumn: string, columns: readonly Column[]): string;
}

/**
 * A dialect is pure SQL generation for one engine: no I/O, testable without a database.
 * Jobs are written once against this interface; each engine folder supplies its own.
 */

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
   * Optional: a 64-bit hash of the columns, equal whenever the values are equal (as GROUP BY
   * compares them). Lets a uniqueness check group one number instead of the key columns.
   */
  keyHash?(columns: readonly string[]): string;
  /** Trim spaces, tabs, CR and LF from both ends. */
  trimSpace(expr: string): string;
  /** TRUE when the whole of `expr` matches the regular expression `pattern` (RE2/Java common subset). */
  fullMatch(expr: string, pattern: string): string;
  /**
   * TRUE when `expr`, trimmed as trimSpace trims, is an email by the landing contract:
   * EMAIL_PATTERN whole and at most MAX_EMAIL_LENGTH characters (src/contracts/landing.ts).
   */
  isEmail(expr: string): string;
  /** `expr` (text) as a DATE when it is a real `YYYY-MM-DD` date, else NULL. */
  isoDate(expr: string): string;
  /** A DATE literal. */
  date(isoDay: string): string;
  /** `expr` (a whole-valued DOUBLE) as BIGINT; NULL when it does not fit (only bad records). */
  toBigint(expr: string): string;
  /** Split `expr` on `sep` and take the 1-based `index`-th part. */
  splitPart(expr: string, sep: string, index: number): string;
  /**
   * Parse the raw JSON line column `rawColumn` of `relation` into: `_json_ok` (valid JSON text),
   * `_is_object`, `_key_count` (number of keys of an object), and for each field `<name>` (VARCHAR
   * for `string` fields, DOUBLE for `number` fields) with `<name>__type`: 'absent', 'null',
   * 'string', 'number' or 'other' (the JSON type the record actually carries). Every column of
   * `relation` is passed through. Keys match exactly, as spelled.
   */
  parseJsonLines(relation: string, rawColumn: string, fields: readonly JsonField[]): string;
  /**
   * Optional fast path over the same lines: every column of `relation`, each field `<name>`
   * (typed as in parseJsonLines), and `_canonical`: TRUE only for a line that is the contract's
   * record written the plain way, on which each `<name>` is what parseJsonLines reads and each
   * field has its declared JSON type (a nullable one may be JSON null, read as NULL), with one
   * exception the caller must handle: a number the line spells as NaN or an infinity, or gives as
   * a non-number, may read as a non-finite value or NULL (every value check of the contract turns
   * those away). FALSE says nothing about the line; parseJsonLines decides. Engines without a
   * cheaper reading of such lines leave it out, and every line takes parseJsonLines.
   */
  parseCanonicalJsonLines?(relation: string, rawColumn: string, fields: readonly JsonField[]): string;
  /**
   * With parseCanonicalJsonLines: for a canonical line, the text between the quotes of string
   * field `field`'s value (its value whenever the line holds no backslash). A cheap way to find
   * canonical lines holding given values without parsing every line.
   */
  canonicalStringText?(rawColumn: string, fields: readonly JsonField[], field: string): string;
}

export interface JsonField {
  readonly name: string;
  readonly json: 'string' | 'number';
  /** JSON null is a valid value (e.g. no consent). */
  readonly nullable?: boolean;
}

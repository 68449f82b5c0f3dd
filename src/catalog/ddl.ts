/**
 * Catalog DDL for the lake's eight tables, generated from lake/tables.ts: landing tables read the
 * JSON-lines files, trusted and curated tables the Parquet files, each at
 * `<location>/<table folder>/`. One renderer per dialect; all share the table list and the
 * column docs.
 *
 *   athena  CREATE EXTERNAL TABLE (Hive DDL); landing through the OpenX JSON SerDe with the
 *           camelCase keys mapped (Athena lower-cases column names), Parquet otherwise
 *   trino   CREATE TABLE ... WITH (format = 'JSON' | 'PARQUET', external_location = ...) for the
 *           Hive connector (its JSON reader matches keys case-insensitively)
 *   duckdb  CREATE OR REPLACE VIEW over read_json / read_parquet (DuckDB has no external tables)
 */
import { TABLES, type Column, type ColumnType, type TableSpec } from '../lake/tables.js';

export const DDL_DIALECTS = ['athena', 'trino', 'duckdb'] as const;
export type DdlDialect = (typeof DDL_DIALECTS)[number];

export interface DdlOptions {
  /** Lake root as the engine sees it: `s3://bucket/lake`, `local:///data/lake`, `/data/lake`. */
  readonly location: string;
  /** Qualify table names with this schema (Athena: database). */
  readonly schema?: string | undefined;
}

/** One statement per table (no trailing semicolon), in TABLES order. */
export function catalogDdl(dialect: DdlDialect, options: DdlOptions): string[] {
  const render = RENDERERS[dialect];
  return Object.values(TABLES).map((table) => render(table, options));
}

/** Statements as a script: each ends with `;`, separated by a blank line. */
export function catalogScript(dialect: DdlDialect, options: DdlOptions): string {
  return `${catalogDdl(dialect, options)
    .map((s) => `${s};`)
    .join('\n\n')}\n`;
}

export function tableLocation(location: string, table: TableSpec): string {
  return `${location.replace(/\/+$/, '')}/${table.folder}/`;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const backticked = (name: string): string => `\`${name.replaceAll('`', '``')}\``;

const HIVE_TYPE: Readonly<Record<ColumnType, string>> = { VARCHAR: 'string', BIGINT: 'bigint', DOUBLE: 'double' };

function qualified(name: string, schema: string | undefined, q: (s: string) => string): string {
  return schema ? `${q(schema)}.${q(name)}` : q(name);
}

type Renderer = (table: TableSpec, options: DdlOptions) => string;

const athena: Renderer = (table, { location, schema }) => {
  const columns = table.columns
    .map((c) => `  ${backticked(c.name.toLowerCase())} ${HIVE_TYPE[c.type]} COMMENT ${sqlString(c.doc)}`)
    .join(',\n');
  const head = `CREATE EXTERNAL TABLE IF NOT EXISTS ${qualified(table.name, schema, backticked)} (\n${columns}\n)`;
  const where = `LOCATION ${sqlString(tableLocation(location, table))}`;
  if (table.zone !== 'landing') return `${head}\nSTORED AS PARQUET\n${where}`;
  // Keys are case-sensitive in the files; Athena's columns are lower case. The OpenX SerDe maps
  // each column to its key when case.insensitive is off.
  const mappings = table.columns
    .filter((c) => c.name !== c.name.toLowerCase())
    .map((c) => `  'mapping.${c.name.toLowerCase()}' = ${sqlString(c.name)}`);
  const props = [`  'case.insensitive' = 'FALSE'`, ...mappings].join(',\n');
  return `${head}\nROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\nWITH SERDEPROPERTIES (\n${props}\n)\n${where}`;
};

const trino: Renderer = (table, { location, schema }) => {
  const columns = table.columns
    .map((c: Column) => `  ${quoted(c.name.toLowerCase())} ${c.type.toLowerCase()} COMMENT ${sqlString(c.doc)}`)
    .join(',\n');
  const format = table.zone === 'landing' ? 'JSON' : 'PARQUET';
  return `CREATE TABLE IF NOT EXISTS ${qualified(table.name, schema, quoted)} (\n${columns}\n)
WITH (format = '${format}', external_location = ${sqlString(tableLocation(location, table))})`;
};

const duckdb: Renderer = (table, { location, schema }) => {
  const folder = tableLocation(location, table);
  const name = qualified(table.name, schema, quoted);
  if (table.zone !== 'landing') {
    return `CREATE OR REPLACE VIEW ${name} AS\nSELECT * FROM read_parquet(${sqlString(`${folder}*.parquet`)})`;
  }
  const columns = table.columns.map((c) => `${quoted(c.name)}: '${c.type}'`).join(', ');
  // Files whose names start with `_` or `.` are in flight or metadata, as for Hive and Trino.
  return `CREATE OR REPLACE VIEW ${name} AS
SELECT * EXCLUDE (filename) FROM read_json(${sqlString(`${folder}*.json`)}, format = 'newline_delimited',
  columns = {${columns}}, filename = true)
WHERE NOT regexp_matches(filename, '[/\\\\][._][^/\\\\]*$')`;
};

const RENDERERS: Readonly<Record<DdlDialect, Renderer>> = { athena, trino, duckdb };

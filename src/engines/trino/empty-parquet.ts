/**
 * A zero-row Parquet file with a given schema. Trino cannot produce one: an INSERT of no rows
 * writes no file at all, and CREATE TABLE AS with no rows writes none either. The runner needs
 * exactly one file per table version (an empty table is still a version), so this one case is
 * written locally with DuckDB, which the project already ships and which writes the same physical
 * types Trino does (VARCHAR as UTF-8 BYTE_ARRAY, BIGINT as INT64, DOUBLE as DOUBLE).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { StediError } from '../../errors.js';

const DUCKDB_TYPE: Readonly<Record<string, string>> = {
  varchar: 'VARCHAR',
  bigint: 'BIGINT',
  integer: 'INTEGER',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
};

export async function writeEmptyParquet(columns: readonly { name: string; type: string }[], file: string): Promise<void> {
  const select = columns
    .map((c) => {
      const type = DUCKDB_TYPE[c.type.replace(/\(.*\)$/, '')];
      if (!type) throw new StediError('ENGINE', `cannot write an empty Parquet file with a column of Trino type ${c.type} (${c.name})`);
      return `CAST(NULL AS ${type}) AS "${c.name.replaceAll('"', '""')}"`;
    })
    .join(', ');
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const conn = await instance.connect();
  try {
    await conn.run(`COPY (SELECT ${select} LIMIT 0) TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

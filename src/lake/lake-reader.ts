/**
 * Reads row counts straight from the files of a local lake, whichever engine wrote them:
 * Parquet footers for trusted and curated tables, non-blank lines for landing JSON.
 * Used by `stedi status` and by tests; it never changes the lake.
 */
import fs from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { LakeLayout } from './layout.js';
import { LANDING_SOURCES, TABLES, type TableName, type Zone } from './tables.js';
import { listLandingFiles } from '../pipeline/landing.js';
import { readLines } from '../engines/duckdb/duckdb-engine.js';

export interface TableStatus {
  table: TableName;
  zone: Zone;
  folder: string;
  files: number;
  /** null when the table has never been published. */
  rows: number | null;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

export async function readTableStatus(lake: string): Promise<TableStatus[]> {
  const layout = new LakeLayout(lake);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const count = async (sql: string): Promise<number> => {
    const reader = await conn.runAndReadAll(sql);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  };
  try {
    const result: TableStatus[] = [];
    for (const spec of Object.values(TABLES)) {
      if (spec.zone === 'landing') {
        const source = LANDING_SOURCES.find((s) => `${s}_landing` === spec.name);
        const files = source ? await listLandingFiles(layout, source) : [];
        const rows =
          files.length === 0
            ? 0
            : await count(`SELECT count(*) FROM ${readLines(files, `rejects_${spec.name}`)}
                WHERE line IS NOT NULL AND trim(line, ' ' || chr(9) || chr(13)) <> ''`) +
              // Lines that cannot be read as text (quarantined by runs) are records too.
              (await count(`SELECT count(*) FROM rejects_${spec.name}`));
        result.push({ table: spec.name, zone: spec.zone, folder: spec.folder, files: files.length, rows });
        continue;
      }
      const file = layout.tableFile(spec.name);
      const exists = await fs.stat(file).then((s) => s.isFile()).catch(() => false);
      const rows = exists ? await count(`SELECT sum(num_rows) FROM parquet_file_metadata(${sqlString(file)})`) : null;
      result.push({ table: spec.name, zone: spec.zone, folder: spec.folder, files: exists ? 1 : 0, rows });
    }
    return result;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

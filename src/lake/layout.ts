/**
 * Paths inside a lake folder. Table folders come from TABLES; everything the project owns
 * (run log, staging, quarantine, generator expectations) lives under `_stedi/`, a name that
 * no table folder can clash with and that Hive, Trino, Spark and Athena skip.
 */
import path from 'node:path';
import { TABLES, type LandingSource, type TableName } from './tables.js';

export const META_DIR = '_stedi';

/** The single Parquet file holding a table's current version (replaced atomically by rename). */
export const TABLE_FILE = 'part-00000.parquet';

export class LakeLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  tableDir(table: TableName): string {
    return path.join(this.root, TABLES[table].folder);
  }

  landingDir(source: LandingSource): string {
    return path.join(this.root, source, 'landing');
  }

  /** Landing files are named `<table>-<epoch millis>.json` (DESIGN.md). */
  landingFileName(source: LandingSource, epochMillis: number): string {
    return `${source}-${epochMillis}.json`;
  }

  tableFile(table: TableName): string {
    return path.join(this.tableDir(table), TABLE_FILE);
  }

  /** Staging lives inside the table folder (same file system, so rename is atomic) under `_staging/`. */
  stagingDir(table: TableName): string {
    return path.join(this.tableDir(table), '_staging');
  }

  get metaDir(): string {
    return path.join(this.root, META_DIR);
  }

  get runLogFile(): string {
    return path.join(this.metaDir, 'runs.jsonl');
  }

  get lockFile(): string {
    return path.join(this.metaDir, 'run.lock');
  }

  /** Where `stedi generate` writes its independently computed expectations. */
  get expectationsFile(): string {
    return path.join(this.metaDir, 'expected.json');
  }

  quarantineDir(table: TableName): string {
    return path.join(this.metaDir, 'quarantine', table);
  }

  /** The quarantine of a landing table: one Parquet file, replaced atomically like a table. */
  quarantineFile(table: TableName): string {
    return path.join(this.quarantineDir(table), TABLE_FILE);
  }
}

/**
 * The scale-out engine: a Trino server (Hive connector) reading and writing the lake's folders.
 *
 *   attachLanding    an external TEXTFILE table over the landing folder (one varchar per line),
 *                    and a view giving `_file` (local path, from "$path") and `_raw`
 *   unreadableLines  lines that are not UTF-8 (a second view finds their files; Node numbers them)
 *   loadRows         a scratch Parquet table filled by INSERT ... VALUES
 *   attachPublished  an external PARQUET table over the published table's folder
 *   defineView       CREATE VIEW
 *   materialize      an external PARQUET scratch table under <lake>/_stedi/trino/<run>/<relation>,
 *                    filled by one INSERT (which reports the row count)
 *   writeParquet     INSERT into a staging table at <file>.trino/ with a single writer, then the
 *                    one file Trino wrote is renamed to <file>; anything but one file is an error
 *   dropRelation     DROP VIEW / DROP TABLE, and the scratch folder of a materialized relation
 *   close            drops every table and view this run created, deletes the run's folder, and
 *                    drops the default schema (and <lake>/_stedi/trino/) once it is empty
 *
 * Every object lives in one schema (default `stedi_<hash of the lake path>`, created on first use);
 * leftovers of a killed run are dropped when a name is reused. The lake must be a folder that
 * both this machine and the server see (the runner publishes by local rename).
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Trino } from 'trino-client';
import type { Engine, LoadValue, UnreadableLine } from '../engine.js';
import { TABLES, type LandingSource, type TableName } from '../../lake/tables.js';
import { META_DIR } from '../../lake/layout.js';
import { StediError } from '../../errors.js';
import { trinoDialect as d } from './trino-dialect.js';
import { connect, query, serverLabel, type QueryOutput } from './trino-query.js';
import type { TrinoSettings } from './trino-settings.js';
import { LOCAL_SCHEME, localPrefix, toLocation } from './trino-locations.js';
import { writeEmptyParquet } from './empty-parquet.js';
import { invalidUtf8Lines } from './invalid-utf8.js';

/** What a run tells the engine about itself: where scratch data may go. */
export interface TrinoRunScope {
  readonly lake: string;
  readonly runId: string;
}

type Columns = { name: string; type: string }[];

/**
 * Session of the staging INSERT: one writer, no scaling, no redistribution, and no size-based
 * file rollover, so a single node writes a single file. Checked afterwards all the same.
 */
function writerSession(catalog: string): Record<string, string> {
  return {
    scale_writers: 'false',
    task_scale_writers_enabled: 'false',
    redistribute_writes: 'false',
    task_min_writer_count: '1',
    task_max_writer_count: '1',
    [`${catalog}.target_max_file_size`]: '1TB',
  };
}

export function defaultSchema(lake: string): string {
  return `stedi_${crypto.createHash('sha256').update(path.resolve(lake)).digest('hex').slice(0, 10)}`;
}

export class TrinoEngine implements Engine {
  readonly dialect = d;
  /** Objects created by this run, in creation order (dropped in reverse on close). */
  private readonly created: { kind: 'TABLE' | 'VIEW'; name: string }[] = [];
  /** Column names and types of every relation this run made, for staging tables. */
  private readonly shapes = new Map<string, Columns>();

  private constructor(
    private readonly settings: TrinoSettings,
    private readonly schema: string,
    private readonly trino: Trino,
    private readonly writer: Trino,
    private readonly runDir: string,
    /** Names present in the schema when the run started (leftovers of a killed run). */
    private readonly leftovers: Map<string, 'TABLE' | 'VIEW'>,
  ) {}

  static async open(settings: TrinoSettings, scope: TrinoRunScope): Promise<TrinoEngine> {
    const base = { user: settings.user, password: settings.password, ssl: settings.tls };
    const admin = connect(settings.url, base);
    const ask = (sql: string): Promise<QueryOutput> => query(admin, sql, { server: settings.url, user: settings.user });
    const where = serverLabel(settings.url);

    const catalogs = await ask(`SHOW CATALOGS LIKE ${d.str(settings.catalog)}`);
    if (catalogs.rows.length === 0) {
      throw new StediError('CONFIG', `Trino catalog "${settings.catalog}" does not exist on ${where}`, {
        hint: 'check --trino-catalog (STEDI_TRINO_CATALOG); it must be a Hive catalog that can read the lake folder',
      });
    }
    const metaDir = path.join(path.resolve(scope.lake), META_DIR, 'trino');
    const schema = settings.schema ?? defaultSchema(scope.lake);
    const schemas = await ask(`SHOW SCHEMAS FROM ${d.ident(settings.catalog)} LIKE ${d.str(schema)}`);
    if (schemas.rows.length === 0) {
      if (settings.schema !== undefined) {
        throw new StediError('CONFIG', `Trino schema "${settings.catalog}.${schema}" does not exist on ${where}`, {
          hint: 'create it, or leave --trino-schema out to let stedi create one for this lake',
        });
      }
      const schemaDir = path.join(metaDir, 'schema');
      await fs.mkdir(schemaDir, { recursive: true });
      await ask(
        `CREATE SCHEMA IF NOT EXISTS ${d.ident(settings.catalog)}.${d.ident(schema)} WITH (location = ${d.str(toLocation(schemaDir, settings.fsRoot))})`,
      );
    }
    const leftovers = new Map<string, 'TABLE' | 'VIEW'>();
    const existing = await ask(
      `SELECT table_name, table_type FROM ${d.ident(settings.catalog)}.information_schema.tables WHERE table_schema = ${d.str(schema)}`,
    );
    for (const [name, type] of existing.rows as [string, string][]) leftovers.set(name, type === 'VIEW' ? 'VIEW' : 'TABLE');
    // The lake is locked by the runner: folders of earlier, killed runs can go.
    for (const entry of await fs.readdir(metaDir).catch(() => [] as string[])) {
      if (entry !== 'schema') await fs.rm(path.join(metaDir, entry), { recursive: true, force: true });
    }

    const opts = { ...base, catalog: settings.catalog, schema };
    return new TrinoEngine(
      settings,
      schema,
      connect(settings.url, opts),
      connect(settings.url, { ...opts, session: writerSession(settings.catalog) }),
      path.join(metaDir, scope.runId),
      leftovers,
    );
  }

  async describe(): Promise<string> {
    const [row] = await this.query<{ v: string }>('SELECT node_version AS v FROM system.runtime.nodes WHERE coordinator LIMIT 1');
    return `trino ${row?.v ?? '?'} (${serverLabel(this.settings.url)}, ${this.settings.catalog}.${this.schema})`;
  }

  async attachLanding(source: LandingSource, files: readonly string[], relation: string): Promise<void> {
    const dirs = new Set(files.map((f) => path.dirname(path.resolve(f))));
    const [dir] = dirs;
    if (dir === undefined || dirs.size > 1) {
      throw new StediError('ENGINE', `Trino reads a landing source from one folder; ${source} files are in ${dirs.size} folders`);
    }
    const lines = `${relation}__lines`;
    // One varchar per line: \x01 (Hive's field delimiter) never occurs in valid JSON text; a line
    // that has one spills into `overflow` and is put back together, then fails to parse as JSON.
    // \x02 as the NULL marker keeps a line reading `\N` a line.
    await this.create(
      'TABLE',
      lines,
      `CREATE TABLE ${d.ident(lines)} (line varchar, overflow varchar)
WITH (format = 'TEXTFILE', external_location = ${d.str(toLocation(dir, this.settings.fsRoot))}, null_format = U&'\\0002')`,
    );
    // "$path" is a location; the rest of the pipeline names files by local path. Lines end at \n
    // only (trailing \r dropped, as DuckDB does); blank lines (spaces, tabs, CR) are not records.
    // Trino reads bytes that are not UTF-8 as they are; such lines are set aside here and
    // reported by unreadableLines(), as DuckDB's reader rejects them.
    const prefix = localPrefix(this.settings.fsRoot);
    const fileList = files.map((f) => d.str(path.resolve(f))).join(', ');
    const body = (invalid: boolean): string => `SELECT _file, _raw FROM (
  SELECT concat(${d.str(prefix)}, substr("$path", ${LOCAL_SCHEME.length + 1})) AS _file,
    CASE WHEN _text LIKE concat('%', chr(13)) THEN regexp_replace(_text, '\r+$', '') ELSE _text END AS _raw
  FROM (SELECT "$path", CASE WHEN overflow IS NULL THEN line ELSE concat(line, chr(1), overflow) END AS _text
    FROM ${d.ident(lines)}) l
) t
WHERE _raw IS NOT NULL AND trim(_raw, ' ' || chr(9) || chr(13)) <> '' AND _file IN (${fileList})
  AND ${invalid ? '' : 'NOT '}(from_utf8(to_utf8(_raw)) <> _raw)`;
    await this.create('VIEW', relation, `CREATE VIEW ${d.ident(relation)} AS\n${body(false)}`);
    await this.create('VIEW', `${relation}__unreadable`, `CREATE VIEW ${d.ident(`${relation}__unreadable`)} AS\n${body(true)}`);
  }

  async unreadableLines(relation: string): Promise<UnreadableLine[]> {
    if (!this.created.some((o) => o.name === `${relation}__unreadable`)) return [];
    const files = await this.query<{ f: string }>(`SELECT DISTINCT _file AS f FROM ${d.ident(`${relation}__unreadable`)}`);
    const found: UnreadableLine[] = [];
    // Line numbers are not in Trino's reach; the few affected files are scanned here.
    for (const { f } of files) found.push(...(await invalidUtf8Lines(f)));
    return found;
  }

  async loadRows(relation: string, columns: readonly { name: string; type: 'VARCHAR' | 'BIGINT' }[], rows: readonly LoadValue[][]): Promise<void> {
    const shape = columns.map((c) => ({ name: c.name, type: c.type.toLowerCase() }));
    const dir = path.join(this.runDir, relation);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    await this.create(
      'TABLE',
      relation,
      `CREATE TABLE ${d.ident(relation)} (${columnList(shape)})
WITH (format = 'PARQUET', external_location = ${d.str(toLocation(dir, this.settings.fsRoot))})`,
    );
    this.shapes.set(relation, shape);
    const literal = (v: LoadValue, type: string): string =>
      v === null ? `CAST(NULL AS ${type})` : type === 'bigint' ? d.int(Math.trunc(Number(v))) : d.str(String(v));
    // No bind parameters in Trino's HTTP protocol: literals rendered by the dialect, in batches
    // that stay well under the server's query.max-length (1,000,000 characters by default).
    let batch: string[] = [];
    let size = 0;
    const flush = async (): Promise<void> => {
      if (batch.length) await this.run(this.trino, `INSERT INTO ${d.ident(relation)} VALUES ${batch.join(',\n')}`);
      batch = [];
      size = 0;
    };
    for (const row of rows) {
      const tuple = `(${shape.map((c, j) => literal(row[j] ?? null, c.type)).join(', ')})`;
      if (batch.length >= 500 || size + tuple.length > 400_000) await flush();
      batch.push(tuple);
      size += tuple.length;
    }
    await flush();
  }

  async attachPublished(table: TableName, parquetFile: string, relation: string): Promise<void> {
    // The table folder holds exactly the current version's file (staging is under `_staging/`,
    // which Hive skips), so the folder is the table.
    const columns = TABLES[table].columns.map((c) => ({ name: c.name, type: c.type.toLowerCase() }));
    await this.create(
      'TABLE',
      relation,
      `CREATE TABLE ${d.ident(relation)} (${columnList(columns)})
WITH (format = 'PARQUET', external_location = ${d.str(toLocation(path.dirname(parquetFile), this.settings.fsRoot))})`,
    );
    this.shapes.set(relation, columns);
  }

  async defineView(relation: string, select: string): Promise<void> {
    await this.create('VIEW', relation, `CREATE VIEW ${d.ident(relation)} AS ${select}`);
  }

  async materialize(relation: string, select: string): Promise<number> {
    const columns = await this.shapeOf(`SELECT * FROM (${select}) t LIMIT 0`);
    const dir = path.join(this.runDir, relation);
    await fs.mkdir(dir, { recursive: true });
    await this.create(
      'TABLE',
      relation,
      `CREATE TABLE ${d.ident(relation)} (${columnList(columns)})
WITH (format = 'PARQUET', external_location = ${d.str(toLocation(dir, this.settings.fsRoot))})`,
    );
    this.shapes.set(relation, columns);
    return this.insert(this.trino, relation, select);
  }

  async dropRelation(relation: string): Promise<void> {
    const made = this.created.find((o) => o.name === relation);
    if (!made) return;
    await this.drop(made.kind, relation);
    this.shapes.delete(relation);
    // A materialized relation's data is an external table's folder: dropping the table keeps it.
    if (made.kind === 'TABLE') await fs.rm(path.join(this.runDir, relation), { recursive: true, force: true });
  }

  async writeParquet(relation: string, columns: readonly string[], file: string): Promise<void> {
    const shape = this.shapes.get(relation) ?? (await this.shapeOf(`SELECT * FROM ${d.ident(relation)} LIMIT 0`));
    const byName = new Map(shape.map((c) => [c.name.toLowerCase(), c]));
    const out = columns.map((name) => {
      const c = byName.get(name.toLowerCase());
      if (!c) throw new StediError('ENGINE', `relation ${relation} has no column ${name}`);
      return { name, type: c.type };
    });
    // Inside the runner's `_staging/` folder, so it is cleaned up with it whatever happens.
    const stagingDir = `${file}.trino`;
    const staging = `${relation}__out`;
    await fs.rm(stagingDir, { recursive: true, force: true });
    await fs.mkdir(stagingDir, { recursive: true });
    await this.create(
      'TABLE',
      staging,
      `CREATE TABLE ${d.ident(staging)} (${columnList(out)})
WITH (format = 'PARQUET', external_location = ${d.str(toLocation(stagingDir, this.settings.fsRoot))})`,
    );
    const rows = await this.insert(
      this.writer,
      staging,
      `SELECT ${out.map((c) => d.ident(c.name)).join(', ')} FROM ${d.ident(relation)}`,
    );
    const written = (await fs.readdir(stagingDir)).filter((n) => !n.startsWith('.') && !n.startsWith('_'));
    if (written.length === 1 && rows > 0) {
      await fs.rename(path.join(stagingDir, written[0] as string), file);
    } else if (written.length === 0 && rows === 0) {
      await writeEmptyParquet(out, file);
    } else {
      throw new StediError(
        'ENGINE',
        `Trino wrote ${written.length} files for ${rows} rows of ${relation} in ${stagingDir}; expected one, so nothing is published`,
        { hint: 'a multi-node cluster writes one file per writer node; run against a single-node server or coordinator-only writes' },
      );
    }
    await this.drop('TABLE', staging);
    await fs.rm(stagingDir, { recursive: true, force: true });
  }

  async query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
    const out = await this.run(this.trino, sql);
    return out.rows.map((row) => Object.fromEntries(out.columns.map((c, i) => [c.name, row[i]])) as T);
  }

  /** Never throws: it runs in the runner's `finally`, where the run's own error must win. */
  async close(): Promise<void> {
    for (const { kind, name } of [...this.created].reverse()) {
      await this.drop(kind, name).catch(() => undefined);
    }
    await fs.rm(this.runDir, { recursive: true, force: true }).catch(() => undefined);
    if (this.settings.schema === undefined) {
      // Our own per-lake schema: gone when empty, so neither the metastore nor the lake keeps residue.
      const dropped = await this.run(this.trino, `DROP SCHEMA IF EXISTS ${d.ident(this.settings.catalog)}.${d.ident(this.schema)}`).then(
        () => true,
        () => false,
      );
      if (dropped) await fs.rm(path.dirname(this.runDir), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async shapeOf(sql: string): Promise<Columns> {
    const out = await this.run(this.trino, sql);
    // varchar(n) comes from literals; the lake's columns are plain varchar.
    return out.columns.map((c) => ({ name: c.name, type: c.type.replace(/^varchar\(\d+\)$/, 'varchar') }));
  }

  private async insert(trino: Trino, table: string, select: string): Promise<number> {
    const out = await this.run(trino, `INSERT INTO ${d.ident(table)} ${select}`);
    return Number(out.rows[0]?.[0] ?? 0);
  }

  /** CREATE an object, first dropping a leftover of the same name from a killed run. */
  private async create(kind: 'TABLE' | 'VIEW', name: string, sql: string): Promise<void> {
    const leftover = this.leftovers.get(name);
    if (leftover) {
      await this.drop(leftover, name);
      this.leftovers.delete(name);
    }
    await this.run(this.trino, sql);
    this.created.push({ kind, name });
  }

  private async drop(kind: 'TABLE' | 'VIEW', name: string): Promise<void> {
    await this.run(this.trino, `DROP ${kind} IF EXISTS ${d.ident(name)}`);
    const i = this.created.findIndex((o) => o.name === name);
    if (i >= 0) this.created.splice(i, 1);
  }

  private run(trino: Trino, sql: string): Promise<QueryOutput> {
    return query(trino, sql, { server: this.settings.url, user: this.settings.user });
  }
}

function columnList(columns: readonly { name: string; type: string }[]): string {
  return columns.map((c) => `${d.ident(c.name)} ${c.type}`).join(', ');
}

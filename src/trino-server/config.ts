/**
 * Settings and generated configuration of the local single-node Trino 476 server.
 *
 * Everything lives in a cache folder outside the work tree (default `~/.cache/stedi/trino/`,
 * env STEDI_TRINO_HOME): the downloaded archives, the unpacked server, the generated etc/, the
 * node's data dir, the Hive file metastore, the pid file and the logs. etc/ is rewritten on every
 * start, so changing the port or file-system root only needs a restart.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StediError } from '../errors.js';

export const TRINO_VERSION = '476';
/** The catalog the lake is reachable through: `lake.<schema>.<table>`. */
export const LAKE_CATALOG = 'lake';
export const DEFAULT_PORT = 8080;

export interface TrinoServerSettings {
  /** Cache folder holding everything (STEDI_TRINO_HOME). */
  readonly home: string;
  /** HTTP port (--port, STEDI_TRINO_PORT, default 8080). */
  readonly port: number;
  /**
   * Root of the native local file system (STEDI_TRINO_FS_ROOT, default `/`): a location
   * `local:///a/b` is the folder `<fsRoot>/a/b`. With `/` any absolute path is reachable.
   */
  readonly fsRoot: string;
  /** JVM max heap, e.g. `5G` (STEDI_TRINO_HEAP). */
  readonly heap: string;
  /**
   * Folder of the Hive file metastore (STEDI_TRINO_METASTORE_DIR, default `<home>/metastore`).
   * It must lie under fsRoot: the catalog has one file system, and both `local://` and `file://`
   * locations resolve under `local.location`.
   */
  readonly metastoreDir: string;
}

export interface TrinoServerPaths {
  readonly downloads: string;
  readonly install: string;
  readonly etc: string;
  readonly data: string;
  readonly metastore: string;
  readonly pidFile: string;
  readonly serverLog: string;
  readonly launcherLog: string;
  /** JSON written after a successful start: url, port, pid, started at. */
  readonly stateFile: string;
}

function parsePort(raw: string, source: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StediError('USAGE', `${source}: port must be an integer 1-65535, got "${raw}"`);
  }
  return port;
}

export function resolveSettings(opts: { port?: string | number } = {}, env: NodeJS.ProcessEnv = process.env): TrinoServerSettings {
  const home = path.resolve(env.STEDI_TRINO_HOME || path.join(os.homedir(), '.cache', 'stedi', 'trino'));
  const port =
    opts.port !== undefined
      ? parsePort(String(opts.port), '--port')
      : env.STEDI_TRINO_PORT
        ? parsePort(env.STEDI_TRINO_PORT, 'STEDI_TRINO_PORT')
        : DEFAULT_PORT;
  const fsRoot = path.resolve(env.STEDI_TRINO_FS_ROOT || '/');
  const heap = env.STEDI_TRINO_HEAP || '5G';
  if (!/^\d+[mMgG]$/.test(heap)) throw new StediError('USAGE', `STEDI_TRINO_HEAP must look like 4G or 4096M, got "${heap}"`);
  const metastoreDir = path.resolve(env.STEDI_TRINO_METASTORE_DIR || path.join(home, 'metastore'));
  return { home, port, fsRoot, heap, metastoreDir };
}

export function serverPaths(s: TrinoServerSettings): TrinoServerPaths {
  return {
    downloads: path.join(s.home, 'downloads'),
    install: path.join(s.home, `trino-server-${TRINO_VERSION}`),
    etc: path.join(s.home, 'etc'),
    data: path.join(s.home, 'data'),
    metastore: s.metastoreDir,
    pidFile: path.join(s.home, 'trino.pid'),
    serverLog: path.join(s.home, 'server.log'),
    launcherLog: path.join(s.home, 'launcher.log'),
    stateFile: path.join(s.home, 'server.json'),
  };
}

export function serverUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/**
 * The `local://` location of an absolute path on this machine, given the file-system root:
 * `/work/lake/customer/landing` with root `/` is `local:///work/lake/customer/landing`.
 */
export function localLocation(absPath: string, fsRoot: string): string {
  const rel = path.relative(fsRoot, path.resolve(absPath));
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new StediError('CONFIG', `${absPath} is outside Trino's file-system root ${fsRoot}`, {
      hint: 'set STEDI_TRINO_FS_ROOT to a folder containing it and restart Trino',
    });
  }
  return `local:///${rel.split(path.sep).join('/')}`;
}

function metastoreLocation(dir: string, fsRoot: string): string {
  try {
    return localLocation(dir, fsRoot);
  } catch {
    throw new StediError('CONFIG', `the Trino metastore folder ${dir} is outside the file-system root ${fsRoot}`, {
      hint: 'set STEDI_TRINO_METASTORE_DIR to a folder under STEDI_TRINO_FS_ROOT',
    });
  }
}

function props(entries: Record<string, string | number | boolean>): string {
  return `${Object.entries(entries)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n')}\n`;
}

/** The files of etc/, by relative path. Pure, so it can be tested and shown. */
export function renderEtc(s: TrinoServerSettings, p: TrinoServerPaths): Record<string, string> {
  const heapGb = /[gG]$/.test(s.heap) ? Number.parseInt(s.heap, 10) : Number.parseInt(s.heap, 10) / 1024;
  // Query memory: ~40% of the heap per node, leaving the default 30% headroom and room for the rest.
  const queryMemMb = Math.max(512, Math.floor(heapGb * 1024 * 0.4));
  return {
    'node.properties': props({
      'node.environment': 'stedi_local',
      'node.id': 'stedi-local-1',
      'node.data-dir': p.data,
      // Without it a single node may try to reach itself on an external address and fail.
      'node.internal-address': '127.0.0.1',
    }),
    'jvm.config': [
      '-server',
      `-Xmx${s.heap}`,
      '-XX:+UseG1GC',
      '-XX:G1HeapRegionSize=32M',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-XX:+ExitOnOutOfMemoryError',
      '-XX:-OmitStackTraceInFastThrow',
      '-XX:ReservedCodeCacheSize=256M',
      '-XX:PerMethodRecompilationCutoff=10000',
      '-XX:PerBytecodeRecompilationCutoff=10000',
      '-Djdk.attach.allowAttachSelf=true',
      '-Djdk.nio.maxCachedBufferSize=2000000',
      '-Dfile.encoding=UTF-8',
      '-XX:+EnableDynamicAgentLoading',
      '',
    ].join('\n'),
    'config.properties': props({
      coordinator: true,
      'node-scheduler.include-coordinator': true,
      'http-server.http.port': s.port,
      'discovery.uri': serverUrl(s.port),
      'query.max-memory': `${queryMemMb}MB`,
      'query.max-memory-per-node': `${queryMemMb}MB`,
      // Fewer threads on 2 cores; a single node needs no remote exchange tuning.
      'task.concurrency': 2,
    }),
    'log.properties': props({ 'io.trino': 'INFO' }),
    [`catalog/${LAKE_CATALOG}.properties`]: props({
      'connector.name': 'hive',
      'hive.metastore': 'file',
      'hive.metastore.catalog.dir': metastoreLocation(p.metastore, s.fsRoot),
      'fs.native-local.enabled': true,
      // A path, no scheme: `local:///a/b` resolves to `<local.location>/a/b`.
      'local.location': s.fsRoot,
      // CREATE TABLE ... WITH (external_location = ...) and writes into such tables.
      'hive.non-managed-table-writes-enabled': true,
      'hive.storage-format': 'PARQUET',
      'hive.compression-codec': 'ZSTD',
    }),
  };
}

/** Writes etc/ from scratch and makes sure the data and metastore folders exist. */
export function writeEtc(s: TrinoServerSettings, p: TrinoServerPaths): void {
  for (const [rel, text] of Object.entries(renderEtc(s, p))) {
    const file = path.join(p.etc, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  mkdirSync(p.data, { recursive: true });
  if (!existsSync(p.metastore)) mkdirSync(p.metastore, { recursive: true });
}

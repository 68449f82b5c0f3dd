/**
 * First-time provisioning of Trino 476 from Maven Central: the core server tarball and the Hive
 * plugin ZIP, fetched with `mvn dependency:copy`, unpacked into the cache folder, the Hive plugin
 * installed as `plugin/hive`, and every other plugin removed (fewer plugins, faster start).
 * Idempotent: a finished install carries a marker file; a half-finished one is redone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StediError } from '../errors.js';
import { TRINO_VERSION, type TrinoServerPaths } from './config.js';

const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy';

interface Artifact {
  readonly coords: string;
  readonly file: string;
}

export const SERVER_ARTIFACT: Artifact = {
  coords: `io.trino:trino-server-core:${TRINO_VERSION}:tar.gz`,
  file: `trino-server-core-${TRINO_VERSION}.tar.gz`,
};
export const HIVE_ARTIFACT: Artifact = {
  coords: `io.trino:trino-hive:${TRINO_VERSION}:zip`,
  file: `trino-hive-${TRINO_VERSION}.zip`,
};
/** Plugins kept in plugin/: only the Hive connector (the core tarball's own plugins are not needed). */
export const KEEP_PLUGINS = ['hive'];

const MARKER = '.stedi-provisioned';

export function isProvisioned(p: TrinoServerPaths): boolean {
  return existsSync(path.join(p.install, MARKER));
}

function run(cmd: string, args: string[], what: string, cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new StediError('ENGINE', `${what} failed: cannot run ${cmd} (${r.error.message})`);
  if (r.status !== 0) {
    const out = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('[INFO]'));
    const last = out.filter((l) => /ERROR|error|failed|Could not/.test(l)).slice(-2).join(' | ') || out.slice(-2).join(' | ');
    throw new StediError('ENGINE', `${what} failed (exit ${r.status ?? 'signal'}): ${last}`);
  }
}

/** Downloads one artifact into downloads/ unless it is already there (mvn also caches in ~/.m2). */
function download(a: Artifact, p: TrinoServerPaths, log: (msg: string) => void): string {
  const target = path.join(p.downloads, a.file);
  if (existsSync(target)) return target;
  const tmp = path.join(p.downloads, `.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`downloading ${a.coords} from Maven Central`);
  const started = Date.now();
  run('mvn', ['-B', '-q', DEPENDENCY_PLUGIN, `-Dartifact=${a.coords}`, `-DoutputDirectory=${tmp}`], `download of ${a.coords}`);
  const got = path.join(tmp, a.file);
  if (!existsSync(got)) throw new StediError('ENGINE', `download of ${a.coords} failed: mvn produced no ${a.file}`);
  renameSync(got, target);
  rmSync(tmp, { recursive: true, force: true });
  log(`downloaded ${a.file} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return target;
}

/** The one folder an archive unpacked into. */
function singleTopFolder(dir: string, what: string): string {
  const entries = readdirSync(dir).filter((e) => !e.startsWith('.'));
  if (entries.length !== 1 || entries[0] === undefined) {
    throw new StediError('ENGINE', `unexpected layout of ${what}: top level holds ${entries.join(', ') || 'nothing'}`);
  }
  return path.join(dir, entries[0]);
}

/** Downloads (if needed) and unpacks the server with the Hive plugin into paths.install. */
export function provision(p: TrinoServerPaths, log: (msg: string) => void = () => {}): void {
  if (isProvisioned(p)) return;
  mkdirSync(p.downloads, { recursive: true });
  const serverArchive = download(SERVER_ARTIFACT, p, log);
  const hiveArchive = download(HIVE_ARTIFACT, p, log);

  log(`unpacking Trino ${TRINO_VERSION} into ${p.install}`);
  const work = `${p.install}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.join(work, 'server'), { recursive: true });
  mkdirSync(path.join(work, 'hive'), { recursive: true });
  run('tar', ['-xzf', serverArchive, '-C', path.join(work, 'server')], `unpacking ${SERVER_ARTIFACT.file}`);
  run('unzip', ['-q', hiveArchive, '-d', path.join(work, 'hive')], `unpacking ${HIVE_ARTIFACT.file}`);
  const server = singleTopFolder(path.join(work, 'server'), SERVER_ARTIFACT.file);
  const hive = singleTopFolder(path.join(work, 'hive'), HIVE_ARTIFACT.file);

  const pluginDir = path.join(server, 'plugin');
  mkdirSync(pluginDir, { recursive: true });
  for (const name of readdirSync(pluginDir)) {
    if (!KEEP_PLUGINS.includes(name)) rmSync(path.join(pluginDir, name), { recursive: true, force: true });
  }
  // The plugin folder's name is the one the docs give (plugin/hive), not the archive's trino-hive-476.
  renameSync(hive, path.join(pluginDir, 'hive'));
  writeFileSync(path.join(server, MARKER), `${new Date().toISOString()}\n`);

  rmSync(p.install, { recursive: true, force: true });
  renameSync(server, p.install);
  rmSync(work, { recursive: true, force: true });
}

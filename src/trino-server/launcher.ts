/**
 * Starting, stopping and inspecting the local Trino server.
 *
 * Trino 476 ships the Go "airlift launcher" (bin/launcher picks bin/<os>-<arch>/launcher; there is
 * no launcher.py any more). `launcher start` daemonizes the JVM and writes a pid file; we pass it
 * the cache folder's etc/, data dir, pid file and log files, and a PATH whose first `java` is the
 * JDK 24+ found by jdk.ts. Ready means `GET /v1/info` reports `starting: false` AND `SELECT 1`
 * succeeds (early queries can still fail with SERVER_STARTING_UP).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StediError } from '../errors.js';
import { serverPaths, serverUrl, TRINO_VERSION, writeEtc, type TrinoServerPaths, type TrinoServerSettings } from './config.js';
import { findJdk, type Jdk } from './jdk.js';
import { isProvisioned, provision } from './provision.js';
import { connect, query } from './query.js';

export interface ServerInfo {
  readonly starting: boolean;
  readonly version: string | undefined;
  readonly uptime: string | undefined;
}

interface ServerState {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly startedAt: string;
  readonly fsRoot: string;
  readonly java: string;
}

/** A failed start: the message is one line; `logTail` holds the server log's last lines. */
export class TrinoStartError extends StediError {
  readonly logTail: string[];
  constructor(message: string, logTail: string[], hint?: string) {
    super('ENGINE', message, hint === undefined ? {} : { hint });
    this.logTail = logTail;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(p: TrinoServerPaths): number | undefined {
  try {
    const pid = Number(readFileSync(p.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** On Linux, whether a live pid really is our Trino (a stale pid file's pid may have been reused). */
function isOurServer(pid: number, p: TrinoServerPaths): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(p.install);
  } catch {
    return !existsSync('/proc/self'); // no procfs: trust the pid file
  }
}

/** The pid of our server if its process is alive. */
export function runningPid(p: TrinoServerPaths): number | undefined {
  const pid = readPid(p);
  return pid !== undefined && pidAlive(pid) && isOurServer(pid, p) ? pid : undefined;
}

function readState(p: TrinoServerPaths): ServerState | undefined {
  try {
    return JSON.parse(readFileSync(p.stateFile, 'utf8')) as ServerState;
  } catch {
    return undefined;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function fetchInfo(url: string, timeoutMs = 2000): Promise<ServerInfo | undefined> {
  try {
    const res = await fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { starting?: boolean; nodeVersion?: { version?: string }; uptime?: string };
    return { starting: body.starting !== false, version: body.nodeVersion?.version, uptime: body.uptime };
  } catch {
    return undefined;
  }
}

/** The last `n` lines of a file from byte `from` on (to skip earlier runs' output). */
export function tailLines(file: string, n: number, from = 0): string[] {
  if (!existsSync(file)) return [];
  const size = statSync(file).size;
  // A new start logs to a new file (server.log is a symlink to a dated file), so a stale offset resets.
  const start = Math.max(from > size ? 0 : from, size - 256 * 1024);
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    return buf.toString('utf8').split('\n').filter((l) => l.trim() !== '').slice(-n);
  } finally {
    closeSync(fd);
  }
}

/** Where the current server log ends, to show only what a new start writes. */
function logMark(file: string): { target: string | undefined; size: number } {
  try {
    return { target: realpathSync(file), size: statSync(file).size };
  } catch {
    return { target: undefined, size: 0 };
  }
}

/** The byte offset to tail from: 0 if server.log now points to a new file. */
function logOffset(file: string, mark: { target: string | undefined; size: number }): number {
  try {
    return realpathSync(file) === mark.target ? mark.size : 0;
  } catch {
    return 0;
  }
}

function launcherEnv(jdk: Jdk): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, JAVA_HOME: jdk.home, PATH: `${path.join(jdk.home, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` };
  delete env.JAVA_TOOL_OPTIONS;
  delete env._JAVA_OPTIONS;
  return env;
}

function launcherArgs(command: string, p: TrinoServerPaths): string[] {
  return [
    command,
    `--etc-dir=${p.etc}`,
    `--data-dir=${p.data}`,
    `--pid-file=${p.pidFile}`,
    `--server-log-file=${p.serverLog}`,
    `--launcher-log-file=${p.launcherLog}`,
  ];
}

/** The useful part of a failed start's log: the first error-looking line, else the last line. */
function failureLine(lines: string[]): string {
  const interesting = lines.filter((l) =>
    /\tERROR\t|Exception|Error occurred|Too small|Unrecognized|Could not|refused|requires|Unsupported|Address already in use/.test(l),
  );
  return (interesting[0] ?? lines[lines.length - 1] ?? 'no log output').trim().slice(0, 300);
}

type LogMarks = { server: ReturnType<typeof logMark>; launcher: ReturnType<typeof logMark> };

function markLogs(p: TrinoServerPaths): LogMarks {
  return { server: logMark(p.serverLog), launcher: logMark(p.launcherLog) };
}

/** What this start wrote: the launcher log (JVM stderr) and the server log, last lines of each. */
function newLogLines(p: TrinoServerPaths, m: LogMarks): string[] {
  const launcher = tailLines(p.launcherLog, 10, logOffset(p.launcherLog, m.launcher)).filter((l) => !l.startsWith('WARNING:'));
  return [...launcher, ...tailLines(p.serverLog, 25, logOffset(p.serverLog, m.server))];
}

export interface StartOptions {
  /** Give up waiting for readiness after this long (default 300 s). */
  readonly timeoutMs?: number;
  /** Progress messages (one line each). */
  readonly log?: (msg: string) => void;
  /** Called about once a second while waiting (e.g. print a dot). */
  readonly tick?: () => void;
}

export interface StartResult {
  readonly url: string;
  readonly alreadyRunning: boolean;
  readonly seconds: number;
  readonly pid: number;
}

/** Waits until /v1/info says started and SELECT 1 succeeds; throws with the log tail if the JVM dies. */
async function waitReady(url: string, pid: number, p: TrinoServerPaths, marks: LogMarks, o: StartOptions): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 300_000);
  let lastError = 'no answer on /v1/info';
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) {
      rmSync(p.pidFile, { force: true });
      const tail = newLogLines(p, marks);
      throw new TrinoStartError(`Trino startup failed: ${failureLine(tail)}`, tail, `logs: ${p.serverLog}, ${p.launcherLog}`);
    }
    const info = await fetchInfo(url);
    if (info && !info.starting) {
      try {
        const out = await query(connect(url), 'SELECT 1');
        if (out.rows[0]?.[0] === 1) return;
        lastError = `SELECT 1 returned ${JSON.stringify(out.rows)}`;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
    } else if (info) {
      lastError = 'server still starting';
    }
    o.tick?.();
    await sleep(1000);
  }
  const tail = newLogLines(p, marks);
  throw new TrinoStartError(
    `Trino startup failed: not ready after ${Math.round((o.timeoutMs ?? 300_000) / 1000)}s (${lastError})`,
    tail,
    `logs: ${p.serverLog}, ${p.launcherLog}`,
  );
}

export async function startServer(s: TrinoServerSettings, o: StartOptions = {}): Promise<StartResult> {
  const p = serverPaths(s);
  const log = o.log ?? (() => {});
  const started = Date.now();

  const existing = runningPid(p);
  if (existing !== undefined) {
    const state = readState(p);
    const url = state?.url ?? serverUrl(s.port);
    await waitReady(url, existing, p, markLogs(p), o);
    return { url, alreadyRunning: true, seconds: (Date.now() - started) / 1000, pid: existing };
  }
  if (await portOpen(s.port)) {
    throw new StediError('ENGINE', `port ${s.port} is busy: another process listens on it`, {
      hint: 'stop it, or choose another port with STEDI_TRINO_PORT or --port',
    });
  }

  const jdk = findJdk();
  if (!isProvisioned(p)) provision(p, log);
  writeEtc(s, p);
  rmSync(p.pidFile, { force: true });
  const marks = markLogs(p);

  log(`starting Trino ${TRINO_VERSION} with Java ${jdk.version} (${jdk.home}) on port ${s.port}`);
  const r = spawnSync(path.join(p.install, 'bin', 'launcher'), launcherArgs('start', p), {
    env: launcherEnv(jdk),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  if (r.error || r.status !== 0) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n');
    const tail = [...out, ...newLogLines(p, marks)];
    throw new TrinoStartError(`Trino startup failed: launcher ${r.error ? r.error.message : `exited ${r.status}`}: ${failureLine(tail)}`, tail);
  }
  let pid = readPid(p);
  for (let i = 0; pid === undefined && i < 20; i++) {
    await sleep(250);
    pid = readPid(p);
  }
  if (pid === undefined) throw new TrinoStartError('Trino startup failed: the launcher wrote no pid file', newLogLines(p, marks));

  const url = serverUrl(s.port);
  await waitReady(url, pid, p, marks, o);
  const state: ServerState = { url, port: s.port, pid, startedAt: new Date().toISOString(), fsRoot: s.fsRoot, java: jdk.home };
  writeFileSync(p.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  return { url, alreadyRunning: false, seconds: (Date.now() - started) / 1000, pid };
}

export interface StopResult {
  readonly wasRunning: boolean;
  readonly pid?: number;
}

export async function stopServer(s: TrinoServerSettings, o: { timeoutMs?: number } = {}): Promise<StopResult> {
  const p = serverPaths(s);
  const pid = runningPid(p);
  const port = readState(p)?.port ?? s.port;
  if (pid === undefined) {
    rmSync(p.stateFile, { force: true });
    return { wasRunning: false };
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  while (pidAlive(pid) && Date.now() < deadline) await sleep(250);
  if (pidAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (pidAlive(pid)) await sleep(100);
  }
  const portDeadline = Date.now() + 30_000;
  while ((await portOpen(port)) && Date.now() < portDeadline) await sleep(250);
  if (await portOpen(port)) throw new StediError('ENGINE', `Trino (pid ${pid}) stopped but port ${port} is still in use`);
  rmSync(p.pidFile, { force: true });
  rmSync(p.stateFile, { force: true });
  return { wasRunning: true, pid };
}

export interface StatusResult {
  readonly running: boolean;
  readonly ready: boolean;
  readonly url: string;
  readonly pid?: number;
  readonly info?: ServerInfo;
  readonly provisioned: boolean;
  readonly home: string;
}

export async function serverStatus(s: TrinoServerSettings): Promise<StatusResult> {
  const p = serverPaths(s);
  const pid = runningPid(p);
  const url = readState(p)?.url ?? serverUrl(s.port);
  const info = pid === undefined ? undefined : await fetchInfo(url);
  return {
    running: pid !== undefined,
    ready: info !== undefined && !info.starting,
    url,
    ...(pid === undefined ? {} : { pid }),
    ...(info === undefined ? {} : { info }),
    provisioned: isProvisioned(p),
    home: s.home,
  };
}

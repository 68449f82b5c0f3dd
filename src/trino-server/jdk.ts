/**
 * Finding a JDK that can run Trino 476 (Java 24 or newer) among the system's JVMs, without
 * hard-coding a path: STEDI_TRINO_JAVA_HOME, then JAVA_HOME, then every folder under the usual JVM
 * roots (/usr/lib/jvm and friends). The newest suitable one wins.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { StediError } from '../errors.js';

export const MIN_JAVA_MAJOR = 24;

export interface Jdk {
  /** The JDK's home folder (contains bin/java). */
  readonly home: string;
  readonly major: number;
  /** The full version string, e.g. `25.0.3`. */
  readonly version: string;
}

const JVM_ROOTS = ['/usr/lib/jvm', '/usr/java', '/opt/java', '/usr/local/lib/jvm', '/Library/Java/JavaVirtualMachines'];

/** `17.0.15` -> 17, `1.8.0_392` -> 8, `25` -> 25. */
export function javaMajor(version: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

/** Reads a JDK home's version from its `release` file, or failing that from `java -version`. */
export function probeJdk(home: string): Jdk | undefined {
  const java = path.join(home, 'bin', 'java');
  if (!existsSync(java)) return undefined;
  let version: string | undefined;
  try {
    const release = readFileSync(path.join(home, 'release'), 'utf8');
    version = /^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1];
  } catch {
    // No release file: ask the binary.
  }
  if (version === undefined) {
    try {
      const out = execFileSync(java, ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 });
      version = /version "([^"]+)"/.exec(out)?.[1];
    } catch (err) {
      // `java -version` prints to stderr; execFileSync only hands it back on failure paths.
      const stderr = (err as { stderr?: unknown }).stderr;
      version = typeof stderr === 'string' ? /version "([^"]+)"/.exec(stderr)?.[1] : undefined;
    }
  }
  if (version === undefined) return undefined;
  const major = javaMajor(version);
  return major === undefined ? undefined : { home, major, version };
}

function candidateHomes(env: NodeJS.ProcessEnv): string[] {
  const homes: string[] = [];
  for (const v of [env.STEDI_TRINO_JAVA_HOME, env.JAVA_HOME]) if (v) homes.push(v);
  for (const root of JVM_ROOTS) {
    let entries: string[];
    try {
      entries = readdirSync(root);
    } catch {
      continue;
    }
    for (const e of entries.sort()) {
      if (e.startsWith('.')) continue;
      const dir = path.join(root, e);
      homes.push(dir, path.join(dir, 'Contents', 'Home'));
    }
  }
  return homes;
}

/** All JDKs found, deduplicated by real path, newest first. */
export function listJdks(env: NodeJS.ProcessEnv = process.env): Jdk[] {
  const seen = new Set<string>();
  const found: Jdk[] = [];
  for (const home of candidateHomes(env)) {
    let real: string;
    try {
      real = realpathSync(home);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const jdk = probeJdk(home);
    if (jdk) found.push(jdk);
  }
  return found.sort((a, b) => b.major - a.major);
}

/** The JDK to run Trino with; an explicit STEDI_TRINO_JAVA_HOME must itself be suitable. */
export function findJdk(env: NodeJS.ProcessEnv = process.env): Jdk {
  const explicit = env.STEDI_TRINO_JAVA_HOME;
  if (explicit) {
    const jdk = probeJdk(explicit);
    if (jdk && jdk.major >= MIN_JAVA_MAJOR) return jdk;
    throw new StediError('CONFIG', `STEDI_TRINO_JAVA_HOME=${explicit} is not a JDK ${MIN_JAVA_MAJOR}+ (found ${jdk ? jdk.version : 'no bin/java'})`);
  }
  const all = listJdks(env);
  const best = all.find((j) => j.major >= MIN_JAVA_MAJOR);
  if (best) return best;
  const seen = all.map((j) => `${j.version} at ${j.home}`).join(', ') || 'none';
  throw new StediError('CONFIG', `no JDK >= ${MIN_JAVA_MAJOR} found for Trino 476 (seen: ${seen})`, {
    hint: `install one under /usr/lib/jvm or set STEDI_TRINO_JAVA_HOME`,
  });
}

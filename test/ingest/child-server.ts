/** Runs the real CLI (`node bin/stedi.js serve ...`) as a child process, for crash and shutdown tests. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds dist/ when it is missing or older than the ingestion sources, so the child runs this code. */
export function ensureBuilt(): void {
  const built = path.join(REPO, 'dist', 'cli', 'commands', 'serve.js');
  const newestSource = Math.max(
    ...['src/ingest', 'src/contracts', 'src/cli/commands'].flatMap((dir) =>
      readdirSync(path.join(REPO, dir)).map((f) => statSync(path.join(REPO, dir, f)).mtimeMs),
    ),
  );
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });
  }
}

export interface ChildServer {
  readonly url: string;
  readonly process: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills servers a failed test left behind, so they do not outlive the test run. */
export function killLeftoverServers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export async function startChildServer(lake: string, keysFile: string, extraArgs: string[] = []): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [path.join(REPO, 'bin', 'stedi.js'), 'serve', '--lake', lake, '--keys', keysFile, '--port', '0', ...extraArgs],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /"msg":"stedi serve ready","url":"([^"]+)"/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before it was ready:\n${output}`)));
  });
  return { url, process: child, output: () => output, exited };
}

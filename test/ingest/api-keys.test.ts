import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { hashApiKey, KeyRing, readKeysFile } from '../../src/ingest/api-keys.js';
import { makeTestLake, type TestLake } from './helpers.js';

let lake: TestLake;
beforeEach(async () => {
  lake = await makeTestLake();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await lake.cleanup();
});

async function stedi(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'stedi', ...args]);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('stedi keys', () => {
  it('add prints the new key on its last line and stores only its sha256, readable by the owner only', async () => {
    const file = path.join(lake.root, 'new-keys.json');
    const result = await stedi('keys', 'add', '--keys', file, '--name', 'portal', '--scopes', 'customer');
    expect(result.code).toBe(0);
    const key = result.stdout.trimEnd().split('\n').at(-1) ?? '';
    expect(key).toMatch(/^stedi_[A-Za-z0-9_-]{43}$/);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(key);
    const contents = await readKeysFile(file, { missingIsEmpty: false });
    expect(contents.keys).toEqual([{ name: 'portal', sha256: hashApiKey(key), scopes: ['customer'], createdAt: expect.any(String) as string, revokedAt: null }]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(new KeyRing(contents).authenticate(key)).toEqual({ name: 'portal', scopes: new Set(['customer']) });
  });

  it('list shows names, scopes and status; revoke deactivates a key', async () => {
    expect((await stedi('keys', 'revoke', '--keys', lake.keysFile, '--name', 'app')).code).toBe(0);
    const listed = await stedi('keys', 'list', '--keys', lake.keysFile);
    const rows = listed.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(rows.map((r) => [r[0], r[1], r[3]?.split(' ')[0]])).toEqual([
      ['name', 'scopes', 'status'],
      ['all', 'customer,accelerometer,step_trainer', 'active'],
      ['app', 'accelerometer', 'revoked'],
    ]);
    const ring = new KeyRing(await readKeysFile(lake.keysFile, { missingIsEmpty: false }));
    expect([ring.authenticate(lake.keys.accelerometer), ring.authenticate(lake.keys.all)?.name]).toEqual([undefined, 'all']);
  });

  it('refuses unknown scopes, duplicate names and revoking a missing key with a usage error', async () => {
    const badScope = await stedi('keys', 'add', '--keys', lake.keysFile, '--name', 'x', '--scopes', 'customer,customer_trusted');
    expect([badScope.code, badScope.stderr]).toEqual([
      2,
      'stedi: invalid scopes "customer,customer_trusted" (use a comma-separated list of customer, accelerometer, step_trainer)\n',
    ]);
    expect((await stedi('keys', 'add', '--keys', lake.keysFile, '--name', 'all', '--scopes', 'customer')).code).toBe(2);
    expect((await stedi('keys', 'revoke', '--keys', lake.keysFile, '--name', 'nobody')).code).toBe(2);
  });
});

// A real Trino server, only when STEDI_TRINO_URL is set (CI starts one with `npm run trino:start`).
// Offline parts (settings, generated config, locations) always run.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localLocation, renderEtc, resolveSettings, serverPaths } from '../../src/trino-server/config.js';
import { javaMajor } from '../../src/trino-server/jdk.js';
import { connect, query } from '../../src/trino-server/query.js';

const url = process.env.STEDI_TRINO_URL;

describe('trino-server config', () => {
  it('resolves settings from flags over env over defaults', () => {
    const env = { STEDI_TRINO_HOME: '/tmp/x', STEDI_TRINO_PORT: '9090' };
    expect(resolveSettings({}, env)).toMatchObject({ home: '/tmp/x', port: 9090, fsRoot: '/', heap: '5G' });
    expect(resolveSettings({ port: '8181' }, env).port).toBe(8181);
    expect(() => resolveSettings({ port: 'abc' }, env)).toThrow(/port/);
  });

  it('maps absolute paths to local:// locations under the file-system root', () => {
    expect(localLocation('/work/lake/customer/landing', '/')).toBe('local:///work/lake/customer/landing');
    expect(localLocation('/work/lake/a', '/work')).toBe('local:///lake/a');
    expect(() => localLocation('/etc/passwd', '/work')).toThrow(/outside/);
  });

  it('writes a hive catalog on the native local file system', () => {
    const s = resolveSettings({}, { STEDI_TRINO_HOME: '/tmp/h' });
    const etc = renderEtc(s, serverPaths(s));
    const lake = etc['catalog/lake.properties'] ?? '';
    expect(lake).toContain('connector.name=hive\n');
    expect(lake).toContain('fs.native-local.enabled=true\n');
    expect(lake).toContain('local.location=/\n');
    expect(lake).toContain(`hive.metastore.catalog.dir=local://${path.join('/tmp/h', 'metastore')}\n`);
    expect(lake).toContain('hive.non-managed-table-writes-enabled=true\n');
    expect(etc['node.properties']).toContain('node.internal-address=127.0.0.1\n');
    expect(etc['config.properties']).toContain('http-server.http.port=8080\n');
  });

  it('parses Java versions', () => {
    expect(javaMajor('25.0.3')).toBe(25);
    expect(javaMajor('17.0.15')).toBe(17);
    expect(javaMajor('1.8.0_392')).toBe(8);
  });
});

// Under CI a missing server is a failure, not a skip (.ci/run starts one).
describe.runIf(url || process.env.CI)('trino-server (real server at STEDI_TRINO_URL)', () => {
  it('is configured', () => {
    expect(url, 'STEDI_TRINO_URL must be set in CI').toBeTruthy();
  });

  it('answers SELECT 1', async () => {
    const out = await query(connect(url!), 'SELECT 1');
    expect(out.rows).toEqual([[1]]);
  });

  it('has the lake catalog', async () => {
    const out = await query(connect(url!), 'SHOW CATALOGS');
    expect(out.rows.map((r) => r[0])).toContain('lake');
  });

  it('reports SQL errors as exceptions', async () => {
    await expect(query(connect(url!), 'SELECT * FROM lake.no_such_schema.no_such_table')).rejects.toThrow(/SCHEMA_NOT_FOUND|TABLE_NOT_FOUND/);
  });
});

import { describe, expect, it } from 'vitest';
import { redactTrinoSettings, resolveTrinoSettings } from '../../src/engines/trino/trino-settings.js';
import { engineSettingsFrom } from '../../src/engines/index.js';
import { defaultSchema } from '../../src/engines/trino/trino-engine.js';
import { toLocation } from '../../src/engines/trino/trino-locations.js';

describe('trino settings', () => {
  it('takes flags over environment over configuration, with defaults', () => {
    const env = { STEDI_TRINO_URL: 'http://env:8080', STEDI_TRINO_USER: 'envuser', STEDI_TRINO_CATALOG: 'envcat' };
    expect(resolveTrinoSettings({}, env)).toMatchObject({ url: 'http://env:8080', user: 'envuser', catalog: 'envcat', fsRoot: '/' });
    expect(resolveTrinoSettings({ trinoUrl: 'http://flag:1', trinoCatalog: 'Lake2' }, env)).toMatchObject({
      url: 'http://flag:1',
      catalog: 'lake2',
    });
    expect(resolveTrinoSettings({}, {}, { url: 'http://cfg:8080', schema: 'mine' })).toMatchObject({
      url: 'http://cfg:8080',
      catalog: 'lake',
      schema: 'mine',
      user: 'stedi',
    });
  });

  it('names the bad setting', async () => {
    expect(() => resolveTrinoSettings({}, {})).toThrow(/needs a server URL/);
    expect(() => resolveTrinoSettings({ trinoUrl: 'localhost:8080' }, {})).toThrow(/"url" is invalid/);
    expect(() => resolveTrinoSettings({ trinoUrl: 'http://h:1', trinoSchema: 'a;drop' }, {})).toThrow(/"schema" is invalid/);
    await expect(engineSettingsFrom('spark', {}, {})).rejects.toThrow(/unknown engine "spark"/);
  });

  it('keeps the password secret and refuses it over plain HTTP', () => {
    const env = { STEDI_TRINO_PASSWORD: 's3cret-pw' };
    let message = '';
    try {
      resolveTrinoSettings({ trinoUrl: 'http://h:8080' }, env);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/only over https/);
    expect(message).not.toContain('s3cret-pw');
    const s = resolveTrinoSettings({ trinoUrl: 'https://h:8443' }, env);
    expect(s.password).toBe('s3cret-pw');
    expect(JSON.stringify(redactTrinoSettings(s))).not.toContain('s3cret-pw');
  });

  it('derives a per-lake schema and local:// locations', () => {
    expect(defaultSchema('/data/lake')).toMatch(/^stedi_[0-9a-f]{10}$/);
    expect(defaultSchema('/data/lake')).toBe(defaultSchema('/data/lake/'));
    expect(defaultSchema('/data/lake')).not.toBe(defaultSchema('/data/lake2'));
    expect(toLocation('/data/lake/customer/landing', '/')).toBe('local:///data/lake/customer/landing');
    expect(toLocation('/data/lake/x', '/data')).toBe('local:///lake/x');
    expect(() => toLocation('/etc', '/data')).toThrow(/outside the Trino file-system root/);
  });
});

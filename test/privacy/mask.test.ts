import { describe, expect, it } from 'vitest';
import { maskRawLine, maskValue } from '../../src/privacy/mask.js';
import { runCli, tempDir, TEST_KEY, writeLanding } from '../helpers/lake-files.js';

describe('masking', () => {
  it('keeps the shape of a value, not the value', () => {
    expect(maskValue('ann.lee@example.com')).toBe('a***@example.com');
    expect(maskValue('Ann Lee')).toBe('A***e');
    expect(maskValue('ab')).toBe('***');
  });

  it('masks personal fields of a raw line and leaves every other byte as it was', () => {
    const raw = '{"customerName":"Ann Lee","email":"ann@x.com","phone":"8015551212","timestamp":1655564444000,"x":1e999}';
    expect(maskRawLine(raw)).toBe('{"customerName":"A***e","email":"a***@x.com","phone":"8***2","timestamp":1655564444000,"x":1e999}');
  });

  it('masks what looks personal in a line that is not JSON', () => {
    expect(maskRawLine('{"user": "bob@x.com", 8015551212, 4f1c2a9e-1111-2222-3333-444455556666')).toBe('{"user": "b***@x.com", 8***2, 4***6');
  });
});

describe('stedi quarantine', () => {
  it('summarizes per rule with masked samples, unmasked only on request', async () => {
    const lake = await tempDir('quarantine-cli');
    const base = { user: 'secret.person@x.com', timestamp: 1_655_000_000_000, x: 1, y: 2, z: 3 };
    await writeLanding(lake, 'customer', [
      { customerName: 'A', email: 'a@x.com', phone: '1', birthDay: '1990-01-01', serialNumber: 's', registrationDate: 1_655_000_000_000, lastUpdateDate: 1_655_000_000_000, shareWithResearchAsOfDate: null, shareWithPublicAsOfDate: null, shareWithFriendsAsOfDate: null },
    ]);
    await writeLanding(lake, 'accelerometer', [base, { ...base, x: 'abc' }, { ...base, timestamp: 5 }]);
    await writeLanding(lake, 'step_trainer', [{ sensorReadingTime: 1_655_000_000_000, serialNumber: 's', distanceFromObject: 1 }]);
    expect((await runCli(['run', '--lake', lake, '--quiet'], { STEDI_PSEUDONYM_KEY: TEST_KEY })).code).toBe(0);

    const masked = await runCli(['quarantine', '--lake', lake, '--table', 'accelerometer_landing']);
    expect(masked.code, masked.stderr).toBe(0);
    expect(masked.stdout).toMatch(/2 quarantined record\(s\)/);
    expect(masked.stdout).toMatch(/not_a_number\s+1/);
    expect(masked.stdout).toMatch(/time_before_2000\s+1/);
    expect(masked.stdout).toMatch(/accelerometer-\d+\.json:2 +field "x" must be a number/);
    expect(masked.stdout).not.toContain('secret.person');

    const json = JSON.parse((await runCli(['quarantine', '--lake', lake, '--json', '--show-pii'])).stdout) as {
      masked: boolean;
      tables: { table: string; rules: { rule: string; samples: { raw_line: string }[] }[] }[];
    };
    expect(json.masked).toBe(false);
    const accel = json.tables.find((t) => t.table === 'accelerometer_landing');
    expect(accel?.rules.map((r) => r.rule).sort()).toEqual(['not_a_number', 'time_before_2000']);
    expect(accel?.rules[0]?.samples[0]?.raw_line).toContain('secret.person@x.com');
  });
});

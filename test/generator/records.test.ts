import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';
import { accelerometerLine, emailKey, numberText } from '../../src/generator/records.js';

describe('landing lines', () => {
  it('print numbers exactly as JSON.stringify does, for thousandths and for any other double', () => {
    const prng = new Prng(8);
    const values = [-0, 0, 1, -1, 0.1, 0.001, -0.999, 1.5, -2, 1e21, 5e-7, 123.456789];
    for (let k = -1000; k <= 1000; k++) values.push(k / 1000);
    for (let n = 0; n < 1000; n++) values.push((prng.next() * 2 - 1) * 10 ** prng.int(-8, 8));
    expect(values.filter((v) => numberText(v) !== JSON.stringify(v))).toEqual([]);
  });

  it('write an accelerometer reading as JSON.stringify would', () => {
    const reading = { user: ' A"b@x.com ', timestamp: 1655564444000, x: -0.05, y: 1, z: 0.123 };
    expect(accelerometerLine(reading)).toBe(JSON.stringify(reading));
  });

  it('key emails by trimming and lower-casing', () => {
    expect(emailKey('  Ann.Lee@Test.COM ')).toBe('ann.lee@test.com');
  });
});

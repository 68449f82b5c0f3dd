import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';

const draw = (prng: Prng, n: number): number[] => Array.from({ length: n }, () => prng.nextUint32());

describe('Prng', () => {
  it('repeats for the same seed and label, and differs for another seed or label', () => {
    expect(draw(new Prng(1, 'a'), 20)).toEqual(draw(new Prng(1, 'a'), 20));
    expect(draw(new Prng(1, 'a'), 20)).not.toEqual(draw(new Prng(2, 'a'), 20));
    expect(draw(new Prng(1, 'a'), 20)).not.toEqual(draw(new Prng(1, 'b'), 20));
  });

  it('draws integers within both bounds, reaching each', () => {
    const prng = new Prng(3);
    const seen = new Set(Array.from({ length: 2000 }, () => prng.int(-2, 2)));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('makes UUID-shaped serials', () => {
    expect(new Prng(4).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

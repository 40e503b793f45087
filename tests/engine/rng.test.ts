import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine';

describe('Rng', () => {
  it('is deterministic per seed', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return [r.next(), r.int(100), r.normal(), r.next()];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws uniforms in [0, 1) and integers in [0, n)', () => {
    const r = new Rng(1);
    const counts = new Array<number>(10).fill(0);
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < 20000; i++) {
      const u = r.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      counts[r.int(10)]++;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    for (const c of counts) expect(c).toBeGreaterThan(1700); // ~2000 each
    expect(() => r.int(0)).toThrow(/positive integer/);
    expect(() => new Rng(Number.NaN)).toThrow(/seed/);
  });

  it('draws standard normals', () => {
    const r = new Rng(2);
    let sum = 0;
    let sumSq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.05);
  });

  it('shuffles in place into a permutation', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng(3).shuffle([...a]);
    expect(shuffled).not.toEqual(a);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(a);
    const typed = new Rng(3).shuffle(Int32Array.from(a));
    expect(Array.from(typed)).toEqual(shuffled);
  });
});

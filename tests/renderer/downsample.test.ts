import { describe, expect, it } from 'vitest';
import { minMaxIndices, strideIndices } from '../../src/renderer/lib/downsample';

describe('minMaxIndices', () => {
  it('keeps every index when the series is short', () => {
    expect(Array.from(minMaxIndices([3, 1, 2], 10))).toEqual([0, 1, 2]);
  });

  it('never exceeds maxPoints and keeps the ends, ascending without duplicates', () => {
    const values = Float64Array.from({ length: 100_003 }, (_, i) => Math.sin(i / 50) + (i % 7) / 10);
    const idx = minMaxIndices(values, 1000);
    expect(idx.length).toBeLessThanOrEqual(1000);
    expect(idx.length).toBeGreaterThan(900);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(values.length - 1);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
  });

  it('keeps a single spike that a stride would drop', () => {
    const values = new Float64Array(50_000).fill(1);
    values[12_345] = 99;
    values[33_333] = -5;
    const idx = Array.from(minMaxIndices(values, 200));
    expect(idx).toContain(12_345);
    expect(idx).toContain(33_333);
    expect(Array.from(strideIndices(values.length, 200))).not.toContain(12_345);
  });

  it('does not pick NaN over a real value', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i % 10 === 1 ? NaN : i));
    const picked = Array.from(minMaxIndices(values, 20), (i) => values[i]);
    expect(picked.filter(Number.isNaN)).toEqual([]);
  });

  it('rejects a maxPoints too small to mean anything', () => {
    expect(() => minMaxIndices([1, 2, 3], 2)).toThrow(/maxPoints/);
  });
});

describe('strideIndices', () => {
  it('is evenly spaced, ends on the last index and respects the limit', () => {
    const idx = strideIndices(10_001, 101);
    expect(idx.length).toBeLessThanOrEqual(101);
    expect(idx[0]).toBe(0);
    expect(idx[1]).toBe(100);
    expect(idx[idx.length - 1]).toBe(10_000);
  });

  it('returns all indices when few', () => {
    expect(Array.from(strideIndices(3, 5))).toEqual([0, 1, 2]);
    expect(strideIndices(0, 5).length).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { createEma, emaNext } from '../../src/renderer/lib/ema';
import { GrowableSeries } from '../../src/renderer/lib/series';

/** The smoothed series, fed one value at a time as the curves are (state/series.ts). */
function emaSeries(values: ArrayLike<number>, alpha: number): number[] {
  const state = createEma(alpha);
  return Array.from(values, (v) => emaNext(state, v));
}

describe('EMA', () => {
  it('starts at the first value (debiased) instead of near zero', () => {
    expect(emaSeries([2.3], 0.98)[0]).toBeCloseTo(2.3, 10);
  });

  it('is constant on a constant series', () => {
    for (const v of emaSeries(new Array(500).fill(0.7), 0.98)) expect(v).toBeCloseTo(0.7, 10);
  });

  it('matches the recurrence by hand', () => {
    const a = 0.5;
    const out = emaSeries([1, 3], a);
    // biased: 0.5, then 0.5*0.5 + 0.5*3 = 1.75; debias by 1 - a^2 = 0.75
    expect(out[1]).toBeCloseTo(1.75 / 0.75, 10);
  });

  it('smooths noise: the spread of the EMA is far below that of the input', () => {
    const noisy = Array.from({ length: 2000 }, (_, i) => 1 + (i % 2 === 0 ? 0.5 : -0.5));
    const smooth = emaSeries(noisy, 0.98).slice(500);
    expect(Math.max(...smooth) - Math.min(...smooth)).toBeLessThan(0.05);
  });

  it('skips non-finite values and rejects a bad alpha', () => {
    const s = createEma(0.9);
    expect(emaNext(s, NaN)).toBeNaN();
    expect(emaNext(s, 4)).toBeCloseTo(4, 10);
    expect(emaNext(s, Infinity)).toBeCloseTo(4, 10);
    expect(() => createEma(1)).toThrow(/alpha/);
  });
});

describe('GrowableSeries', () => {
  it('grows past its capacity and keeps every value', () => {
    const s = new GrowableSeries(2);
    for (let i = 0; i < 1000; i++) s.push(i * 0.5);
    expect(s.length).toBe(1000);
    expect(s.at(999)).toBe(499.5);
    expect(s.last()).toBe(499.5);
    expect(s.view().length).toBe(1000);
    expect(() => s.at(1000)).toThrow(RangeError);
    s.clear();
    expect(s.length).toBe(0);
    expect(s.last()).toBeUndefined();
  });
});

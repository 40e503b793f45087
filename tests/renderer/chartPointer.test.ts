// Issue 13, bug 2 and item 9: the pointer's step and the values the tooltip names are exact,
// wherever the pointer is; zooming draws the range's own detail; the log axis has 1-2-5 ticks.
import { describe, expect, it } from 'vitest';
import { evaluationNear, nearestIndex, stepAtX, valuesAt, xOfStep } from '../../src/renderer/lib/chartPointer';
import { logTicks, lossPoints, previousPoints, stepDomain, stepTicks, valueTick, valueTicks } from '../../src/renderer/state/chartData';
import { appendStep, createCurves } from '../../src/renderer/state/series';

function curvesOf(steps: number, first = 1) {
  const curves = createCurves();
  for (let s = first; s < first + steps; s++) appendStep(curves, s, 3 / Math.sqrt(s), 1 - 1 / Math.sqrt(s));
  return curves;
}

describe('the chart pointer', () => {
  const box = { left: 36, width: 400 };
  const domain = [1, 15_001] as const;

  it('maps x to a step along the whole axis, and back', () => {
    expect(stepAtX(36, box, domain)).toBe(1);
    expect(stepAtX(236, box, domain)).toBe(7501);
    expect(stepAtX(436, box, domain)).toBe(15_001);
    // Outside the plot it stays at the ends.
    expect(stepAtX(0, box, domain)).toBe(1);
    expect(stepAtX(900, box, domain)).toBe(15_001);
    for (const step of [1, 2500, 8848, 15_000]) expect(stepAtX(xOfStep(step, box, domain), box, domain)).toBeCloseTo(step, 6);
  });

  it('reads the exact values of the recorded step nearest the pointer', () => {
    const curves = curvesOf(15_000);
    for (const step of [10, 1500, 8848, 14_999]) {
      const v = valuesAt(curves, 'loss', step + 0.3, 2)!;
      expect(v.step).toBe(step);
      expect(v.raw).toBeCloseTo(3 / Math.sqrt(step), 12);
    }
    expect(valuesAt(curves, 'accuracy', 20_000, 5)).toBeNull();
    expect(nearestIndex([], 3)).toBe(-1);
    expect(nearestIndex([1, 5, 9], 6.9)).toBe(1);
    expect(nearestIndex([1, 5, 9], 7.1)).toBe(2);
  });

  it('names the evaluation near the pointer only', () => {
    const points = [1000, 2000, 3000].map((step) => ({ step, testLoss: 0.3, testAccuracy: 0.9 }));
    expect(evaluationNear(points, 2040, 50)?.step).toBe(2000);
    expect(evaluationNear(points, 2500, 50)).toBeNull();
  });
});

describe('zoom and scales', () => {
  const curves = curvesOf(100_000);

  it('a zoomed range is drawn from its own steps, at full detail', () => {
    const rows = lossPoints(curves, 300, [5000, 5200]);
    // 201 steps plus one beyond each end, all of them: no downsampling at this zoom.
    expect(rows.length).toBe(203);
    expect(rows[1].step).toBe(5000);
    expect(rows[rows.length - 2].step).toBe(5200);
  });

  it('the axis spans the zoom, else this run, else the previous run', () => {
    expect(stepDomain(curves, null, [10, 20])).toEqual([10, 20]);
    expect(stepDomain(curves, null, null)).toEqual([1, 100_000]);
    expect(stepDomain(createCurves(), curvesOf(500, 1), null)).toEqual([1, 500]);
    expect(previousPoints(curvesOf(500, 1), 'loss', 50, [100, 200]).every((p) => p.step >= 99 && p.step <= 201)).toBe(true);
  });

  it('ticks: round steps, and 1-2-5 on a log axis', () => {
    expect(stepTicks(1, 98)).toEqual([20, 40, 60, 80]);
    expect(stepTicks(0, 1000)).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('puts value ticks on round numbers that are exactly their labels', () => {
    expect(valueTicks(0, 3)).toEqual([0, 1, 2, 3]);
    expect(valueTicks(0, 3, 6).map(valueTick)).toEqual(['0', '0.5', '1', '1.5', '2', '2.5', '3']);
    expect(valueTicks(0.1, 0.3).map(valueTick)).toEqual(['0.1', '0.15', '0.2', '0.25', '0.3']);
    expect(valueTicks(0, 6.9).map(valueTick)).toEqual(['0', '2', '4', '6']);
    expect(valueTicks(2, 2)).toEqual([2]);
    expect(valueTicks(0, 1500).map(valueTick)).toEqual(['0', '500', '1,000', '1,500']);
    // Every tick is inside the domain and written exactly.
    for (const [lo, hi] of [
      [0, 2.3026],
      [0.013, 0.47],
      [1.2, 14.8],
    ]) {
      const ticks = valueTicks(lo, hi);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(8);
      for (const t of ticks) {
        expect(t).toBeGreaterThanOrEqual(lo);
        expect(t).toBeLessThanOrEqual(hi);
        expect(Number(valueTick(t))).toBe(t);
      }
    }
    expect(logTicks(0.05, 3)).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2]);
    expect(logTicks(0.0001, 5)).toEqual([0.0001, 0.001, 0.01, 0.1, 1]);
  });

  it('a log axis never gets a loss of 0', () => {
    const zero = createCurves();
    appendStep(zero, 1, 0, 1);
    expect(lossPoints(zero, 10, null, 1e-4)[0].loss).toBe(1e-4);
  });
});

import { describe, expect, it } from 'vitest';
import { accuracyPoints, CHANCE_ACCURACY, CHANCE_LOSS, chanceRows, EMPTY_CHART_STEPS, evaluationPoints, lossPoints, stepDomain } from '../../src/renderer/state/chartData';
import { appendStep, createCurves } from '../../src/renderer/state/series';

function curvesOf(steps: number) {
  const curves = createCurves();
  for (let s = 1; s <= steps; s++) appendStep(curves, s, 2 / Math.sqrt(s) + (s === 77_777 ? 5 : 0), 1 - 1 / Math.sqrt(s));
  return curves;
}

describe('chart data after 100k steps', () => {
  const curves = curvesOf(100_000);

  it('draws at most the budget, from the first step to the last', () => {
    const loss = lossPoints(curves, 500);
    expect(loss.length).toBeLessThanOrEqual(500);
    expect(loss[0].step).toBe(1);
    expect(loss[loss.length - 1].step).toBe(100_000);
    const acc = accuracyPoints(curves, 500);
    expect(acc.length).toBeLessThanOrEqual(500);
    expect(acc[acc.length - 1].step).toBe(100_000);
  });

  it('keeps a loss spike and pairs each raw value with its smoothed one', () => {
    const loss = lossPoints(curves, 500);
    const spike = loss.find((p) => p.step === 77_777);
    expect(spike?.loss).toBeGreaterThan(5);
    for (const p of loss) expect(Number.isFinite(p.lossEma)).toBe(true);
  });

  it('is empty before training', () => {
    expect(lossPoints(createCurves())).toEqual([]);
    expect(accuracyPoints(createCurves())).toEqual([]);
  });

  it('carries the chance level on every row: the loss and accuracy of uniform guessing over 10 digits', () => {
    expect(CHANCE_LOSS).toBeCloseTo(-Math.log(1 / 10), 12);
    expect(CHANCE_ACCURACY).toBe(1 / 10);
    expect(lossPoints(curves, 50).every((p) => p.chance === CHANCE_LOSS)).toBe(true);
    expect(accuracyPoints(curves, 50).every((p) => p.chance === CHANCE_ACCURACY)).toBe(true);
    // Before the first step a chart has only that line, across a span that gives it axes.
    const empty = chanceRows(stepDomain(createCurves(), null, null), CHANCE_LOSS);
    expect(empty).toEqual([
      { step: 0, chance: CHANCE_LOSS },
      { step: EMPTY_CHART_STEPS, chance: CHANCE_LOSS },
    ]);
  });
});

describe('test-set points', () => {
  it('are thinned to the budget and keep the newest', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ step: (i + 1) * 100, testLoss: 0.1, testAccuracy: 0.9 }));
    const drawn = evaluationPoints(points, 120);
    expect(drawn.length).toBeLessThanOrEqual(120);
    expect(drawn[drawn.length - 1].step).toBe(100_000);
    expect(evaluationPoints(points.slice(0, 5), 120)).toHaveLength(5);
  });
});

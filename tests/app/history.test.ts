import { describe, expect, test } from 'vitest';
import { DownsampledHistory } from '../../src/main/training/history';

describe('DownsampledHistory', () => {
  test('keeps every step while under capacity', () => {
    const h = new DownsampledHistory(8);
    for (let s = 1; s <= 5; s++) h.push(s, s * 10, s / 10);
    expect(h.snapshot()).toEqual({ step: [1, 2, 3, 4, 5], loss: [10, 20, 30, 40, 50], accuracy: [0.1, 0.2, 0.3, 0.4, 0.5] });
  });

  test('stays within capacity for 100k steps, ordered, ending at the last step, means preserved', () => {
    const h = new DownsampledHistory(2000);
    for (let s = 1; s <= 100_000; s++) h.push(s, 1, s % 2);
    const { step, loss, accuracy } = h.snapshot();
    expect(step.length).toBeLessThanOrEqual(2000);
    expect(step.length).toBeGreaterThan(1000);
    expect(step[step.length - 1]).toBe(100_000);
    for (let i = 1; i < step.length; i++) expect(step[i]).toBeGreaterThan(step[i - 1]);
    expect(loss.every((v) => v === 1)).toBe(true);
    // alternating 0/1 accuracy averages to 0.5 in every merged bucket
    expect(accuracy.slice(0, -1).every((v) => v === 0.5)).toBe(true);
  });

  test('bucket means are exact after merging', () => {
    const h = new DownsampledHistory(4);
    for (let s = 1; s <= 8; s++) h.push(s, s, 0);
    // capacity 4 reached at step 4 → [2,4] stride 2; then 6, 8 → full again → [4, 8] stride 4
    expect(h.snapshot()).toEqual({ step: [4, 8], loss: [2.5, 6.5], accuracy: [0, 0] });
  });

  test('rejects an odd capacity', () => {
    expect(() => new DownsampledHistory(3)).toThrow(/even integer/);
  });
});

import { describe, expect, it } from 'vitest';
import { nextFlushAt } from '../../src/renderer/lib/schedule';

describe('nextFlushAt', () => {
  it('waits a full interval after the last flush, then snaps to the beat', () => {
    expect(nextFlushAt(1010, 1000, 500)).toBe(1500);
    expect(nextFlushAt(1010, 1020, 500)).toBe(2000); // 1520 is off the beat
  });

  it('runs at once when the beat is now and the interval has passed', () => {
    expect(nextFlushAt(2000, 1000, 500)).toBe(2000);
  });

  it('keeps views with different phases apart', () => {
    const a = nextFlushAt(1234, 0, 500, 0);
    const b = nextFlushAt(1234, 0, 500, 250);
    expect(a).toBe(1500);
    expect(b).toBe(1250);
    expect(Math.abs(a - b) % 500).toBe(250);
  });

  it('never answers a time before now or within the interval', () => {
    for (const [now, last] of [
      [0, -1e9],
      [999, 600],
      [5000, 4999.5],
    ]) {
      const at = nextFlushAt(now, last, 300, 100);
      expect(at).toBeGreaterThanOrEqual(now);
      expect(at).toBeGreaterThanOrEqual(last + 300);
      expect((at - 100) % 300).toBeCloseTo(0);
    }
  });

  it('refuses an interval that is not positive', () => {
    expect(() => nextFlushAt(0, 0, 0)).toThrow(RangeError);
    expect(() => nextFlushAt(0, 0, Number.NaN)).toThrow(RangeError);
  });
});

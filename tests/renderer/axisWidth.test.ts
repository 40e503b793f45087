// A chart's y axis is as wide as its widest tick label (issue 24: "1,400.0" showed as "400.0",
// "0.001" on the log axis as ".001", cut off by a fixed 44 px axis).
import { describe, expect, it } from 'vitest';
import { labelWidth, yAxisWidth } from '../../src/renderer/lib/axisWidth';

// The charts' geometry: 11 px labels, 6 px ticks, a left margin of -8 px.
const CHART = { fontSize: 11, tickSize: 6, marginLeft: -8 };
/** The room a label gets left of the tick at this axis width. */
const room = (width: number) => width - CHART.tickSize - 2 + CHART.marginLeft;

describe('yAxisWidth', () => {
  it('keeps the narrowest width for short labels', () => {
    expect(yAxisWidth(['0.0', '2.5'], { ...CHART, min: 44 })).toBe(44);
  });

  it('makes room for labels a fixed axis cut off', () => {
    for (const labels of [['0.001', '0.01', '0.1', '1'], ['0.0001', '1'], ['0.0', '1,400'], ['100%']]) {
      const width = yAxisWidth(labels, { ...CHART, min: 44 });
      for (const label of labels) expect(labelWidth(label, 11), `${label} at ${width}`).toBeLessThanOrEqual(room(width));
    }
    // The width that cut "0.001" off is now wider.
    expect(labelWidth('0.001', 11)).toBeGreaterThan(room(44));
    expect(yAxisWidth(['0.001'], { ...CHART, min: 44 })).toBeGreaterThan(44);
  });

  it('measures digits wider than separators, and grows with the label', () => {
    expect(labelWidth('1,400', 11)).toBeLessThan(labelWidth('14000', 11));
    expect(labelWidth('0.0001', 11)).toBeGreaterThan(labelWidth('0.001', 11));
    expect(labelWidth('', 11)).toBe(0);
  });
});

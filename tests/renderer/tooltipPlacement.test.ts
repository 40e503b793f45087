// A setting's tooltip stays inside the window (issue 24: the batch-size tooltip at the bottom of
// the rail at 1024×700 ran past the window's edge): below its field when it fits, else above.
import { describe, expect, it } from 'vitest';
import { placeTooltip, TOOLTIP_EDGE, TOOLTIP_GAP } from '../../src/renderer/lib/tooltipPlacement';

const window = { width: 1024, height: 700 };
const inside = (box: { left: number; top: number; width: number; height: number }) =>
  box.left >= TOOLTIP_EDGE && box.top >= TOOLTIP_EDGE && box.left + box.width <= window.width - TOOLTIP_EDGE && box.top + box.height <= window.height - TOOLTIP_EDGE;

describe('placeTooltip', () => {
  it('goes below a field with room under it, as wide as the field', () => {
    const field = { left: 33, top: 300, width: 250, height: 28 };
    expect(placeTooltip(field, 90, window)).toEqual({ left: 33, top: 300 + 28 + TOOLTIP_GAP, width: 250, height: 90, above: false });
  });

  it('goes above a field at the bottom edge (the batch size at 1024×700)', () => {
    const field = { left: 33, top: 640, width: 250, height: 28 };
    const box = placeTooltip(field, 120, window);
    expect(box).toMatchObject({ above: true, top: 640 - TOOLTIP_GAP - 120 });
    expect(inside(box)).toBe(true);
  });

  it('stays inside the window whatever the field: at the right edge, half out of the window, taller than the room on both sides', () => {
    for (const field of [
      { left: 900, top: 100, width: 250, height: 28 },
      { left: -40, top: 690, width: 250, height: 28 },
      { left: 33, top: 350, width: 250, height: 28 },
    ]) {
      const box = placeTooltip(field, 300, window);
      expect(inside(box), JSON.stringify({ field, box })).toBe(true);
    }
    // Wider than the window: as wide as the window allows.
    expect(placeTooltip({ left: 0, top: 0, width: 2000, height: 20 }, 50, window).width).toBe(window.width - 2 * TOOLTIP_EDGE);
  });
});

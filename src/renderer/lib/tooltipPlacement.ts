// Where a setting's tooltip goes (issue 24: the batch-size tooltip at the bottom of the settings
// rail ran past the window's bottom edge, and the rail's scrolling box cut it). The tooltip is
// placed in the window itself (position: fixed), as wide as its field: below the field when it
// fits there, else above it, else wherever it shows the most; never past the window's edges.

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Keep tooltips this far from the window's edges (px). */
export const TOOLTIP_EDGE = 8;
/** The gap between a field and its tooltip (px). */
export const TOOLTIP_GAP = 4;

/** The tooltip's box in window coordinates, for a field at `anchor`, a tooltip `height` tall when `width` wide. */
export function placeTooltip(anchor: Box, height: number, viewport: { width: number; height: number }, width = anchor.width): Box & { above: boolean } {
  const w = Math.min(width, viewport.width - 2 * TOOLTIP_EDGE);
  const left = Math.max(TOOLTIP_EDGE, Math.min(anchor.left, viewport.width - TOOLTIP_EDGE - w));
  const below = anchor.top + anchor.height + TOOLTIP_GAP;
  const roomBelow = viewport.height - TOOLTIP_EDGE - below;
  const roomAbove = anchor.top - TOOLTIP_GAP - TOOLTIP_EDGE;
  const above = height > roomBelow && roomAbove > roomBelow;
  const top = above ? Math.max(TOOLTIP_EDGE, anchor.top - TOOLTIP_GAP - height) : Math.max(TOOLTIP_EDGE, Math.min(below, viewport.height - TOOLTIP_EDGE - height));
  return { left, top, width: w, height, above };
}

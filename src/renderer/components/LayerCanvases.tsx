// The network view's pictures, each one canvas painted with putImageData when its values
// change (weights a few times a second, a digit's activations when it is classified again):
// tile grids at their own zoom, heatmaps scaled up by CSS with square pixels. Each canvas counts its paints in data-painted, so
// a test can tell a redraw from a stale picture.
import { useEffect, useEffectEvent, useRef, type CSSProperties } from 'react';
import { barsLayout, paintBars } from '../lib/bars';
import { putImage, scratchImage } from '../lib/canvas';
import { maxAbs } from '../lib/colormap';
import { paintHeatmap, type HeatmapSize } from '../lib/heatmap';
import { paintTiles, type TileGrid } from '../lib/tileGrid';

interface Painted {
  testId: string;
  title?: string;
  className?: string;
}

/** Paints `values` when they (or the layout, given as `deps`: numbers, not fresh objects) change. */
function usePaint(values: Float32Array | null, width: number, height: number, paint: (values: Float32Array, rgba: Uint8ClampedArray) => void, deps: unknown[]) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const count = useRef(0);
  // The painter is a fresh closure each render; only the values and the layout repaint.
  const draw = useEffectEvent((values: Float32Array | null) => {
    const element = canvas.current;
    if (!element) return;
    const image = scratchImage(width, height);
    if (values) paint(values, image.data);
    else image.data.fill(0);
    putImage(element, image);
    if (values) element.dataset.painted = String(++count.current);
  });
  // `deps` is the caller's list, passed on as an effect's own (the rule cannot see into a spread).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => draw(values), [values, width, height, ...deps]);
  return canvas;
}

/** A grid of tiles (filters, kernels, feature maps), painted at its zoom and shown one to one. */
export function GridCanvas({ values, grid, scale, testId, title, className }: Painted & { values: Float32Array | null; grid: TileGrid; scale: number | 'tile' | 'layer' }) {
  const canvas = usePaint(values, grid.width, grid.height, (v, rgba) => paintTiles(v, grid, rgba, scale === 'layer' ? maxAbs(v) : scale), [grid.tiles, grid.columns, grid.zoom, scale]);
  return <canvas ref={canvas} className={className ?? 'layer-canvas'} data-testid={testId} title={title} width={grid.width} height={grid.height} style={sized(grid.width, grid.height)} />;
}

/** A weight matrix, reduced to its canvas (heatmap.ts), stretched to `width` × `height` CSS pixels. */
export function HeatmapCanvas({ values, size, width, height, testId, title }: Painted & { values: Float32Array | null; size: HeatmapSize; width: number; height: number }) {
  const canvas = usePaint(values, size.width, size.height, (v, rgba) => paintHeatmap(v, size, maxAbs(v), rgba), [size.rows, size.columns]);
  return <canvas ref={canvas} className="layer-canvas" data-testid={testId} title={title} width={size.width} height={size.height} style={sized(width, height)} />;
}

/** A flat layer's values for one digit as bars, within `maxWidth` CSS pixels. */
export function BarsCanvas({ values, units, maxWidth, testId, title }: Painted & { values: Float32Array | null; units: number; maxWidth: number }) {
  const layout = barsLayout(units, maxWidth, 40);
  const canvas = usePaint(values, layout.width, layout.height, (v, rgba) => paintBars(v, layout, maxAbs(v), rgba), [layout.bars, layout.barWidth]);
  return <canvas ref={canvas} className="layer-canvas layer-bars" data-testid={testId} title={title} width={layout.width} height={layout.height} />;
}

function sized(width: number, height: number): CSSProperties {
  return { width: `${width}px`, height: `${height}px` };
}

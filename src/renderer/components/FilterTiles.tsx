// The first convolution's filters, one small tile per filter (per input channel), each scaled to
// its own largest |w| like the first linear layer's tiles: the strokes the network looks for.
import { useMemo, type MouseEvent } from 'react';
import { useModelInfo } from '../hooks/useModel';
import { inspectActions } from '../state/inspectActions';
import { useThrottledUi, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS } from '../hooks/useThrottledUi';
import { findTensor } from '../lib/tensors';
import { GUTTER, tileGrid } from '../lib/tileGrid';
import { GridCanvas } from './LayerCanvases';

/** A filter is drawn about this many CSS pixels wide. */
const FILTER_SIZE = 56;

export function FilterTiles({ tensor, tiles, size }: { tensor: string; tiles: number; size: number }) {
  const snapshot = useThrottledUi((s) => s.weights, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS);
  const weights = findTensor(snapshot?.tensors, tensor, tiles * size * size);
  const grid = useMemo(() => tileGrid(tiles, size, size, tiles <= 16 ? tiles : 16, Math.max(2, Math.floor(FILTER_SIZE / size))), [tiles, size]);
  // A click on a tile inspects its filter in the unit inspector (components/inspect/UnitInspector.tsx).
  const info = useModelInfo();
  const layer = tensor.slice(0, -'.weight'.length);
  const inputs = info.layers.find((l) => l.layer.name === layer)?.input[0] ?? 1;
  const inspect = (event: MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.querySelector('canvas')?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    const x = ((event.clientX - box.left) * grid.width) / box.width;
    const y = ((event.clientY - box.top) * grid.height) / box.height;
    const tile = Math.floor(y / (size * grid.zoom + GUTTER)) * grid.columns + Math.floor(x / (size * grid.zoom + GUTTER));
    if (x >= 0 && y >= 0 && tile < tiles) void inspectActions().inspect({ layer, unit: Math.floor(tile / inputs) });
  };
  return (
    <div className="filter-tiles" onClick={inspect} style={{ cursor: 'pointer' }} data-testid="conv-filters" data-tile-count={tiles} data-weights-step={weights && snapshot ? snapshot.step : ''}>
      {weights ? (
        <GridCanvas
          values={weights}
          grid={grid}
          scale="tile"
          testId="filter-atlas"
          className="layer-canvas filter-atlas"
          title={`${tensor}: ${tiles} filters of ${size}×${size} — click one to inspect it`}
        />
      ) : (
        <span className="muted">The filters appear with the next weights from the trainer (Reset or Train).</span>
      )}
    </div>
  );
}

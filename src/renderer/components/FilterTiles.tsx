// The first convolution's filters, one small tile per filter (per input channel), each scaled to
// its own largest |w| like the first linear layer's tiles: the strokes the network looks for.
import { useMemo } from 'react';
import { useThrottledUi, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS } from '../hooks/useThrottledUi';
import { findTensor } from '../lib/tensors';
import { tileGrid } from '../lib/tileGrid';
import { GridCanvas } from './LayerCanvases';

/** A filter is drawn about this many CSS pixels wide. */
const FILTER_SIZE = 56;

export function FilterTiles({ tensor, tiles, size }: { tensor: string; tiles: number; size: number }) {
  const snapshot = useThrottledUi((s) => s.weights, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS);
  const weights = findTensor(snapshot?.tensors, tensor, tiles * size * size);
  const grid = useMemo(() => tileGrid(tiles, size, size, tiles <= 16 ? tiles : 16, Math.max(2, Math.floor(FILTER_SIZE / size))), [tiles, size]);
  return (
    <div className="filter-tiles" data-testid="conv-filters" data-tile-count={tiles} data-weights-step={weights && snapshot ? snapshot.step : ''}>
      {weights ? (
        <GridCanvas values={weights} grid={grid} scale="tile" testId="filter-atlas" className="layer-canvas filter-atlas" title={`${tensor}: ${tiles} filters of ${size}×${size}`} />
      ) : (
        <span className="muted">The filters appear with the next weights from the trainer (Reset or Train).</span>
      )}
    </div>
  );
}

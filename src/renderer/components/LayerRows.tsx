// The network layer by layer, as ConvNetJS shows it but live while training: one row per layer
// with its kind, output shape and parameters, its weights as a compact heatmap (the first
// weighted layer's are drawn above, as tiles or filters), and what it makes of the selected
// digit — feature maps for image-shaped outputs, bars for flat ones. Weights follow the
// throttled snapshots; activations follow each classification (re-asked with every snapshot).
import { useRef } from 'react';
import type { TensorView } from '../../shared/contract';
import { sizeOf } from '../../shared/model/shape';
import { useThrottledUi, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS } from '../hooks/useThrottledUi';
import { useUi } from '../hooks/useUi';
import { useWidth } from '../hooks/useWidth';
import { maxAbs } from '../lib/colormap';
import { formatInt, shapeText } from '../lib/format';
import { heatmapSize } from '../lib/heatmap';
import type { LayerView, NetworkViewModel, WeightDrawing } from '../lib/networkView';
import { findTensor } from '../lib/tensors';
import { tileGrid } from '../lib/tileGrid';
import { DigitCanvas } from './DigitCanvas';
import { BarsCanvas, GridCanvas, HeatmapCanvas } from './LayerCanvases';

/** Width of a row's left column (name, shape, weights); the outputs take the rest. */
const INFO_WIDTH = 264;
/** A feature map is drawn about this many CSS pixels high. */
const MAP_SIZE = 56;

export function LayerRows({ view }: { view: NetworkViewModel }) {
  const root = useRef<HTMLDivElement>(null);
  const room = Math.max(120, useWidth(root) - INFO_WIDTH - 16);
  const snapshot = useThrottledUi((s) => s.weights, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS);
  const activations = useUi((s) => s.classification?.activations);
  const selected = useUi((s) => s.selected);

  return (
    <div className="layer-rows" ref={root} data-testid="layer-rows">
      <div className="layer-rows-head">
        <h3>Layer by layer</h3>
        <span className="muted">{selected ? `what each layer makes of ${selected.source}` : 'pick a digit from the samples (or draw one) to see what each layer makes of it'}</span>
        <span className="legend-scale" title="Each picture is scaled to its own largest absolute value">
          <span>−</span>
          <span className="legend-gradient" />
          <span>+</span>
        </span>
      </div>
      <div className="layer-row" data-testid="layer-row" data-layer="">
        <div className="layer-row-info">
          <span className="layer-row-title">
            <strong>input</strong>
          </span>
        </div>
        <div className="layer-row-out">{selected ? <DigitCanvas pixels={selected.pixels} scale={1} className="layer-row-digit" /> : <span className="muted">–</span>}</div>
      </div>
      {view.layers.map((layer) => (
        <LayerRow key={layer.name} layer={layer} firstLayer={view.first?.layer === layer.name} snapshot={snapshot?.tensors} activations={activations} room={room} />
      ))}
    </div>
  );
}

function LayerRow({
  layer,
  firstLayer,
  snapshot,
  activations,
  room,
}: {
  layer: LayerView;
  firstLayer: boolean;
  snapshot: TensorView[] | undefined;
  activations: TensorView[] | undefined;
  room: number;
}) {
  const size = sizeOf(layer.output);
  const values = findTensor(activations, layer.name, size);
  const weight = layer.weight;
  return (
    <div className="layer-row" data-testid="layer-row" data-layer={layer.name}>
      <div className="layer-row-info">
        <span className="layer-row-title">
          <strong>{layer.name}</strong> <span className="muted">{layer.label}</span>
        </span>
        <span className="layer-row-meta">
          {shapeText(layer.output)} · {layer.paramCount > 0 ? `${formatInt(layer.paramCount)} params` : 'no params'}
        </span>
        {weight && firstLayer && <span className="layer-row-meta muted">its weights are drawn above</span>}
        {weight && !firstLayer && <WeightPicture drawing={weight.drawing} values={findTensor(snapshot, weight.tensor, weightSize(weight.drawing))} layer={layer.name} />}
      </div>
      <div className="layer-row-out">
        {values === null ? (
          <span className="muted">–</span>
        ) : (
          <>
            {layer.activation === 'maps' ? (
              <FeatureMaps values={values} shape={layer.output} room={room} layer={layer.name} />
            ) : (
              <BarsCanvas values={values} units={size} maxWidth={Math.min(room, size * 12)} testId="layer-bars" title={`${layer.name}: ${size} values`} />
            )}
            <span className="layer-row-range muted">max |value| {maxAbs(values).toPrecision(3)}</span>
          </>
        )}
      </div>
    </div>
  );
}

function weightSize(drawing: WeightDrawing): number {
  switch (drawing.kind) {
    case 'matrix':
      return drawing.rows * drawing.columns;
    case 'kernels':
      return drawing.outputs * drawing.inputs * drawing.size * drawing.size;
    default:
      return 0;
  }
}

/** A later layer's weights: a convolution's kernels as a grid, or the matrix as a heatmap. */
function WeightPicture({ drawing, values, layer }: { drawing: WeightDrawing; values: Float32Array | null; layer: string }) {
  if (values === null) return null;
  if (drawing.kind === 'kernels') {
    const { outputs, inputs, size } = drawing;
    const zoom = Math.max(1, Math.min(6, Math.floor(Math.min((INFO_WIDTH - 8) / (inputs * (size + 1)), 200 / (outputs * (size + 1))))));
    const grid = tileGrid(outputs * inputs, size, size, inputs, zoom);
    const title = `${layer}.weight: ${outputs} filters (rows) × ${inputs} input channels (columns), ${size}×${size} each`;
    return <GridCanvas values={values} grid={grid} scale="layer" testId="layer-weights" className="layer-canvas layer-kernels" title={title} />;
  }
  if (drawing.kind !== 'matrix') return null;
  const size = heatmapSize(drawing.rows, drawing.columns);
  const title = `${layer}.weight: ${drawing.rows} outputs (rows) × ${drawing.columns} inputs (columns)`;
  return <HeatmapCanvas values={values} size={size} width={stretch(size.width, 160, INFO_WIDTH - 8)} height={stretch(size.height, 40, 128)} testId="layer-weights" title={title} />;
}

/** One small image per channel, each value a zoom × zoom block, in rows of equal length that fit. */
function FeatureMaps({ values, shape, room, layer }: { values: Float32Array; shape: readonly number[]; room: number; layer: string }) {
  const [channels, height, width] = shape;
  const zoom = Math.max(1, Math.min(8, Math.floor(MAP_SIZE / height), Math.floor(room / width)));
  const fit = Math.max(1, Math.floor((room + 1) / (width * zoom + 1)));
  const columns = Math.ceil(channels / Math.ceil(channels / fit));
  const grid = tileGrid(channels, width, height, columns, zoom);
  return <GridCanvas values={values} grid={grid} scale="layer" testId="layer-maps" className="layer-canvas layer-maps" title={`${layer}: ${channels} channels of ${height}×${width}`} />;
}

/** CSS pixels for `n` canvas pixels: whole multiples up to about `target`, never more than `max`. */
function stretch(n: number, target: number, max: number): number {
  return Math.min(max, n >= target ? n : n * Math.max(1, Math.floor(target / n)));
}

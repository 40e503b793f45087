// The second layer (issue 18, item 7): the output layer's weights as a 10 × inputs heatmap, one
// row per digit and one column per unit it reads. When those units are the first layer's tiles,
// each column sits right under its unit's tile, so "unit 17 looks like a loop and votes for 0, 6
// and 8" can be read off at a glance. Columns can be ordered by their weight for one digit
// (which units vote for a 3?); clicking a column inspects that unit. Drawn from the throttled
// weight snapshots, like the tiles.
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../../shared/mnist';
import { unitLayers } from '../../../shared/inspect';
import { sizeOf } from '../../../shared/model/shape';
import { useModelInfo, useTileView } from '../../hooks/useModel';
import { useThrottledUi, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS } from '../../hooks/useThrottledUi';
import { useActions, useUi } from '../../hooks/useUi';
import { GUTTER, TILE } from '../../lib/atlas';
import { putImage, scratchImage } from '../../lib/canvas';
import { maxAbs, paintDiverging } from '../../lib/colormap';
import { findTensor } from '../../lib/tensors';
import { inspectActions } from '../../state/inspectActions';
import { InspectHead } from './InspectHead';
import './inspect.css';

const DIGITS = Array.from({ length: MNIST_CLASSES }, (_, i) => i);
/** Height of a digit's row, CSS pixels. */
const ROW = 13;

export function OutputWeights() {
  const info = useModelInfo();
  const tiles = useTileView();
  const actions = useActions();
  const snapshot = useThrottledUi((s) => s.weights, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS);
  const [order, setOrder] = useState<number | null>(null);
  const selectedUnit = useUi((s) => s.selectedUnit);

  // The output layer, the units it reads (their layer, when they are a dense layer's), and whether they are the tiles.
  const layout = useMemo(() => {
    const index = info.layers.findLastIndex((l) => l.params.length > 0);
    const out = info.layers[index];
    if (!out || out.role !== 'dense' || sizeOf(out.output) !== MNIST_CLASSES) return null;
    const inputs = sizeOf(out.input);
    const reads = unitLayers(info).find((l) => l.units === inputs && info.layers.slice(l.readAt + 1, index).every((x) => x.params.length === 0 && x.role !== 'reshape'));
    const tiled = !!tiles && tiles.next?.layer === out.layer.name && tiles.units === inputs;
    const cell = tiled ? TILE + GUTTER : Math.max(4, Math.min(16, Math.floor(720 / inputs)));
    return { name: out.layer.name, tensor: `${out.layer.name}.weight`, inputs, reads: reads?.name ?? null, tiled, cell };
  }, [info, tiles]);

  const weights = layout ? findTensor(snapshot?.tensors, layout.tensor, MNIST_CLASSES * layout.inputs) : null;
  const tileWeights = layout?.tiled && tiles ? findTensor(snapshot?.tensors, tiles.weight, layout.inputs * MNIST_PIXELS) : null;
  const columns = useMemo(() => {
    const n = layout?.inputs ?? 0;
    const units = Array.from({ length: n }, (_, i) => i);
    if (order === null || !weights) return units;
    return units.sort((a, b) => weights[order * n + b] - weights[order * n + a] || a - b);
  }, [layout, order, weights]);

  const heat = useRef<HTMLCanvasElement | null>(null);
  const strip = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    if (!layout || !weights || !heat.current) return;
    const n = layout.inputs;
    const scale = maxAbs(weights);
    const image = scratchImage(n, MNIST_CLASSES);
    const row = new Float32Array(n);
    const rgba = new Uint8ClampedArray(n * 4);
    for (const d of DIGITS) {
      for (let j = 0; j < n; j++) row[j] = weights[d * n + columns[j]];
      paintDiverging(row, 0, n, scale, rgba);
      image.data.set(rgba, d * n * 4);
    }
    putImage(heat.current, image);
  }, [layout, weights, columns]);
  useEffect(() => {
    if (!layout?.tiled || !tileWeights || !strip.current) return;
    const n = layout.inputs;
    const width = n * (TILE + GUTTER) - GUTTER;
    const image = scratchImage(width, TILE);
    const tile = new Uint8ClampedArray(MNIST_PIXELS * 4);
    for (let j = 0; j < n; j++) {
      const unit = columns[j];
      paintDiverging(tileWeights, unit * MNIST_PIXELS, MNIST_PIXELS, maxAbs(tileWeights, unit * MNIST_PIXELS, MNIST_PIXELS), tile);
      for (let y = 0; y < TILE; y++) image.data.set(tile.subarray(y * TILE * 4, (y + 1) * TILE * 4), (y * width + j * (TILE + GUTTER)) * 4);
    }
    putImage(strip.current, image);
  }, [layout, tileWeights, columns]);

  if (!layout) return null;
  const { inputs, cell } = layout;
  // The unit selected in the tiles, marked in its column.
  const marked = layout.tiled && selectedUnit !== null ? columns.indexOf(selectedUnit) : -1;
  const width = inputs * cell;
  const scale = weights ? maxAbs(weights) : 0;
  const unitAt = (event: MouseEvent<HTMLElement>): number | null => {
    const box = event.currentTarget.getBoundingClientRect();
    const j = Math.floor((event.clientX - box.left) / cell);
    return j >= 0 && j < inputs ? columns[j] : null;
  };
  const pick = (event: MouseEvent<HTMLElement>) => {
    const unit = unitAt(event);
    if (unit === null || !layout.reads) return;
    if (layout.tiled) actions.selectUnit(unit);
    else void inspectActions().inspect({ layer: layout.reads, unit });
  };

  return (
    <section
      className="panel output-weights"
      data-testid="output-weights"
      data-layer={layout.name}
      data-inputs={inputs}
      data-tiled={layout.tiled ? 'true' : 'false'}
      data-weights-step={weights && snapshot ? snapshot.step : ''}
    >
      <InspectHead
        title={`Output layer (${layout.name})`}
        testId="output-weights"
        lead={
          layout.tiled
            ? `Each digit’s weights from the ${inputs} hidden units, each column under the tile of the unit it reads: red raises that digit’s score when the unit fires, blue lowers it.${inputs > 24 ? ' Scroll sideways for every unit, or order them by a digit.' : ''}`
            : `Each digit’s weights from the ${inputs} values it reads${layout.reads ? ` (the units of ${layout.reads})` : ''}: red raises that digit’s score, blue lowers it.`
        }
        explain={
          <>
            <p>
              The output layer adds up what the units before it report, each with one weight per digit: the digit with the highest total is the answer. A unit with a strong red weight for 0 and blue
              for 1 is evidence “0, not 1” whenever it fires.
            </p>
            <p>Order the columns by one digit to see which units vote for it most, then compare their tiles: they often show parts of that digit.</p>
          </>
        }
      >
        <label className="gallery-field panel-value-lead">
          order columns
          <select data-testid="output-order" value={order ?? ''} onChange={(e) => setOrder(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">by unit number</option>
            {DIGITS.map((d) => (
              <option key={d} value={d}>
                by weight for {d}
              </option>
            ))}
          </select>
        </label>
        <span className="legend-scale" title="one colour scale for the whole matrix">
          <span>−{scale.toFixed(2)}</span>
          <span className="legend-gradient" />
          <span>+{scale.toFixed(2)}</span>
        </span>
      </InspectHead>
      {!weights ? (
        <p className="muted">The weights appear with the next snapshot from the trainer (Reset or Train).</p>
      ) : (
        <div className="ow-body">
          <div className="ow-labels" aria-hidden="true">
            {layout.tiled && <span className="ow-tile-label">unit</span>}
            {DIGITS.map((d) => (
              <span key={d} className="ow-digit" style={{ height: ROW }}>
                {d}
              </span>
            ))}
          </div>
          <div className="ow-scroll">
            <div
              className={`ow-content ${layout.reads ? 'ow-clickable' : ''}`}
              style={{ width }}
              onClick={pick}
              onMouseMove={(e) => {
                const unit = unitAt(e);
                e.currentTarget.title = unit === null ? '' : `unit ${unit} of ${layout.reads ?? 'the layer before'}${layout.reads ? ' — click to inspect it' : ''}`;
              }}
            >
              {marked >= 0 && <span className="ow-mark" data-testid="output-marked" data-unit={selectedUnit ?? ''} style={{ left: marked * cell - 1, width: cell + 1 }} />}
              {layout.tiled && <canvas ref={strip} className="ow-strip" data-testid="output-tiles" width={width} height={TILE} style={{ width, height: TILE }} />}
              <canvas ref={heat} className="ow-heat" data-testid="output-heatmap" width={inputs} height={MNIST_CLASSES} style={{ width: inputs * cell, height: ROW * MNIST_CLASSES }} />
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

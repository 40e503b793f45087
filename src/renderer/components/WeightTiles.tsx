// The first layer's weights, one 28×28 tile per unit (see lib/tileView.ts for which layer):
// what each unit looks for in the image. Each tile is scaled by its own largest |w| so weak
// units stay readable (the legend says so). All tiles are painted on one atlas
// canvas; a grid of buttons over it makes each unit clickable. With a digit
// selected, units are lit by how strongly they fired.
import { useEffect, useMemo, useRef } from 'react';
import { useThrottledUi, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS } from '../hooks/useThrottledUi';
import { useTileView } from '../hooks/useModel';
import { useActions, useUi } from '../hooks/useUi';
import { findTensor } from '../lib/tensors';
import { atlasLayout, GUTTER, paintAtlas, TILE } from '../lib/atlas';
import { putImage, scratchImage } from '../lib/canvas';


export function WeightTiles() {
  const actions = useActions();
  const view = useTileView();
  const hidden = view?.units ?? 0;
  const selectedUnit = useUi((s) => s.selectedUnit);
  const activations = useUi((s) => (view ? findTensor(s.classification?.activations, view.firing, hidden) : null));
  const snapshot = useThrottledUi((s) => s.weights, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS);
  const weights = view ? findTensor(snapshot?.tensors, view.weight, hidden * TILE * TILE) : null;
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const layout = useMemo(() => atlasLayout(hidden), [hidden]);

  useEffect(() => {
    if (!canvas.current) return;
    const image = scratchImage(layout.width, layout.height);
    if (weights) paintAtlas(weights, hidden, layout, image.data);
    else image.data.fill(0);
    putImage(canvas.current, image);
  }, [weights, hidden, layout]);

  const lit = useMemo(() => {
    if (!activations) return null;
    let peak = 0;
    for (const a of activations) peak = Math.max(peak, a);
    return Array.from(activations, (a) => (peak > 0 ? a / peak : 0));
  }, [activations]);

  const units = useMemo(() => Array.from({ length: hidden }, (_, i) => i), [hidden]);
  if (!view) return null;
  // Cells in percent of the atlas, gutter included, so the buttons sit exactly on their tiles.
  const cellW = (100 * (TILE + GUTTER)) / (layout.width + GUTTER);
  const cellH = (100 * (TILE + GUTTER)) / (layout.height + GUTTER);

  return (
    <div
      className={lit ? 'atlas atlas-lit' : 'atlas'}
      data-testid="weight-tiles"
      data-tile-count={hidden}
      data-weights-step={weights && snapshot ? snapshot.step : ''}
      style={{ aspectRatio: `${layout.width + GUTTER} / ${layout.height + GUTTER}` }}
    >
      <canvas ref={canvas} className="atlas-canvas" data-testid="weight-atlas" data-columns={layout.columns} width={layout.width} height={layout.height} />
      {units.map((unit) => {
        const level = lit ? lit[unit] : null;
        return (
          <button
            type="button"
            key={unit}
            className={unit === selectedUnit ? 'atlas-cell atlas-cell-selected' : 'atlas-cell'}
            data-testid="weight-tile"
            data-unit={unit}
            title={`unit ${unit} of ${view.layer}${level !== null && activations ? ` · activation ${activations[unit].toFixed(2)}` : ''}`}
            onClick={() => actions.selectUnit(unit === selectedUnit ? null : unit)}
            style={{
              left: `${(unit % layout.columns) * cellW}%`,
              top: `${Math.floor(unit / layout.columns) * cellH}%`,
              width: `${cellW}%`,
              height: `${cellH}%`,
              ...(level === null
                ? {}
                : { background: `rgba(255, 255, 255, ${(0.8 * (1 - level)).toFixed(2)})`, boxShadow: level > 0.05 ? `inset 0 0 0 2px rgba(245, 158, 11, ${level.toFixed(2)})` : 'none' }),
            }}
          />
        );
      })}
    </div>
  );
}

// The first layer's weights, one 28×28 tile per unit (see lib/tileView.ts for which layer):
// what each unit looks for in the image. Each tile is scaled by its own largest |w| so weak
// units stay readable (the legend says so). All tiles are painted on one atlas
// canvas; a grid of buttons over it makes each unit clickable. With a digit
// selected, units are lit by how strongly they fired.
//
// The grid is one stop in the Tab order (up to thousands of units would otherwise be as many
// stops): the arrow keys move between units inside it, Home and End go to the first and
// last, Enter or Space selects (a roving tabindex, as ARIA's grid pattern does it).
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useThrottledUi, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS } from '../hooks/useThrottledUi';
import { useTileView } from '../hooks/useModel';
import { useActions, useUi } from '../hooks/useUi';
import { findTensor } from '../lib/tensors';
import { atlasLayout, GUTTER, paintAtlas, TILE, tileOrigin } from '../lib/atlas';
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
  const grid = useRef<HTMLDivElement | null>(null);
  const layout = useMemo(() => atlasLayout(hidden), [hidden]);
  // The unit that holds the grid's one Tab stop: the selected one, else where the arrows left it.
  const [cursor, setCursor] = useState(0);
  const stop = selectedUnit !== null && selectedUnit < hidden ? selectedUnit : Math.min(cursor, Math.max(0, hidden - 1));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -layout.columns, ArrowDown: layout.columns };
    let next: number | null = null;
    if (event.key in moves) next = stop + moves[event.key];
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = hidden - 1;
    if (next === null || next < 0 || next >= hidden) return;
    event.preventDefault();
    setCursor(next);
    if (selectedUnit !== null) actions.selectUnit(next);
    grid.current?.querySelector<HTMLButtonElement>(`[data-unit="${next}"]`)?.focus();
  };

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
  // Cells in percent of the atlas, gutter included, placed where paintAtlas paints each tile (tileOrigin), so the buttons sit exactly on their tiles.
  const spanW = layout.width + GUTTER;
  const spanH = layout.height + GUTTER;
  const cellW = (100 * (TILE + GUTTER)) / spanW;
  const cellH = (100 * (TILE + GUTTER)) / spanH;

  return (
    <div
      ref={grid}
      className={lit ? 'atlas atlas-lit' : 'atlas'}
      role="group"
      aria-label={`${hidden} units of ${view.layer}: arrow keys move, Enter selects`}
      onKeyDown={onKeyDown}
      data-testid="weight-tiles"
      data-tile-count={hidden}
      data-weights-step={weights && snapshot ? snapshot.step : ''}
      style={{ aspectRatio: `${layout.width + GUTTER} / ${layout.height + GUTTER}` }}
    >
      <canvas ref={canvas} className="atlas-canvas" data-testid="weight-atlas" data-columns={layout.columns} width={layout.width} height={layout.height} />
      {units.map((unit) => {
        const level = lit ? lit[unit] : null;
        const origin = tileOrigin(layout, unit);
        return (
          <button
            type="button"
            key={unit}
            className={unit === selectedUnit ? 'atlas-cell atlas-cell-selected' : 'atlas-cell'}
            data-testid="weight-tile"
            data-unit={unit}
            tabIndex={unit === stop ? 0 : -1}
            aria-pressed={unit === selectedUnit}
            title={`unit ${unit} of ${view.layer}${level !== null && activations ? ` · activation ${activations[unit].toFixed(2)}` : ''}`}
            onClick={() => {
              setCursor(unit);
              actions.selectUnit(unit === selectedUnit ? null : unit);
            }}
            style={{
              left: `${(100 * origin.x) / spanW}%`,
              top: `${(100 * origin.y) / spanH}%`,
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

// The first layer's weights, one 28×28 tile per hidden unit: what each unit
// looks for in the image. Each tile is scaled by its own largest |w| so weak
// units stay readable (the legend says so). With a digit selected, tiles are
// lit by how strongly that unit fired.
import { useEffect, useMemo, useRef } from 'react';
import { useThrottledUi } from '../hooks/useThrottledUi';
import { useActions, useUi } from '../hooks/useUi';
import { putImage, scratchImage } from '../lib/canvas';
import { maxAbs, paintDiverging } from '../lib/colormap';

const PIXELS = 784;
const TILE_INTERVAL_MS = 500;

export function WeightTiles() {
  const actions = useActions();
  const hidden = useUi((s) => s.config.hidden);
  const selectedUnit = useUi((s) => s.selectedUnit);
  const activations = useUi((s) => s.classification?.hidden ?? null);
  const weights = useThrottledUi((s) => s.weights, TILE_INTERVAL_MS);
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const usable = weights !== null && weights.hidden === hidden && weights.l1Weight.length === hidden * PIXELS;

  useEffect(() => {
    if (!usable) return;
    const image = scratchImage(28, 28);
    for (let unit = 0; unit < hidden; unit++) {
      const canvas = canvases.current[unit];
      if (!canvas) continue;
      const offset = unit * PIXELS;
      paintDiverging(weights.l1Weight, offset, PIXELS, maxAbs(weights.l1Weight, offset, PIXELS), image.data);
      putImage(canvas, image);
    }
  }, [weights, usable, hidden]);

  const lit = useMemo(() => {
    if (!activations || activations.length !== hidden) return null;
    const peak = Math.max(...activations);
    return activations.map((a) => (peak > 0 ? a / peak : 0));
  }, [activations, hidden]);

  const units = useMemo(() => Array.from({ length: hidden }, (_, i) => i), [hidden]);

  return (
    <div
      className={lit ? 'tiles tiles-lit' : 'tiles'}
      data-testid="weight-tiles"
      data-tile-count={hidden}
      data-weights-step={usable ? weights.step : ''}
    >
      {units.map((unit) => {
        const level = lit ? lit[unit] : null;
        return (
          <button
            type="button"
            key={unit}
            className={unit === selectedUnit ? 'tile tile-selected' : 'tile'}
            title={`hidden unit ${unit}${level !== null && activations ? ` · activation ${activations[unit].toFixed(2)}` : ''}`}
            onClick={() => actions.selectUnit(unit === selectedUnit ? null : unit)}
            style={level === null ? undefined : { opacity: 0.25 + 0.75 * level, boxShadow: level > 0.05 ? `0 0 ${2 + 8 * level}px rgba(245, 158, 11, ${level})` : 'none' }}
          >
            <canvas
              width={28}
              height={28}
              data-testid="weight-tile"
              data-unit={unit}
              ref={(el) => {
                canvases.current[unit] = el;
              }}
            />
          </button>
        );
      })}
    </div>
  );
}

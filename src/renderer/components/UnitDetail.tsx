// One hidden unit up close: its weights as a large tile, and how it votes for each digit (its outgoing weights).
import { useEffect, useRef } from 'react';
import { useThrottledUi, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS } from '../hooks/useThrottledUi';
import { useActions, useUi } from '../hooks/useUi';
import { putImage, scratchImage } from '../lib/canvas';
import { maxAbs, paintDiverging } from '../lib/colormap';

const PIXELS = 784;

export function UnitDetail() {
  const actions = useActions();
  const unit = useUi((s) => s.selectedUnit);
  const activation = useUi((s) => (s.selectedUnit === null ? undefined : s.classification?.hidden[s.selectedUnit]));
  const weights = useThrottledUi((s) => s.weights, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const valid = unit !== null && weights !== null && unit < weights.hidden;

  useEffect(() => {
    if (!valid || !canvas.current) return;
    const image = scratchImage(28, 28);
    const offset = unit * PIXELS;
    paintDiverging(weights.l1Weight, offset, PIXELS, maxAbs(weights.l1Weight, offset, PIXELS), image.data);
    putImage(canvas.current, image);
  }, [valid, unit, weights]);

  if (unit === null) {
    return <div className="unit-detail unit-empty">Click a tile to see that unit up close.</div>;
  }

  const votes: number[] = [];
  if (valid) for (let d = 0; d < 10; d++) votes.push(weights.l2Weight[d * weights.hidden + unit]);
  const voteScale = Math.max(1e-9, ...votes.map(Math.abs));

  return (
    <div className="unit-detail" data-testid="unit-detail">
      <div className="unit-head">
        <h3>Hidden unit {unit}</h3>
        <button type="button" className="link-btn" onClick={() => actions.selectUnit(null)}>
          close
        </button>
      </div>
      <canvas ref={canvas} width={28} height={28} className="unit-tile" data-testid="unit-tile" />
      {activation !== undefined && <p className="unit-activation">activation for the selected digit: {activation.toFixed(3)}</p>}
      {valid && (
        <div className="votes" title="Outgoing weights: how this unit pushes each digit's score">
          <span className="votes-title">votes for each digit</span>
          {votes.map((v, d) => (
            <div className="vote" key={d}>
              <span className="vote-digit">{d}</span>
              <span className="vote-track">
                <span
                  className={v >= 0 ? 'vote-bar vote-pos' : 'vote-bar vote-neg'}
                  style={{ width: `${(Math.abs(v) / voteScale) * 50}%`, [v >= 0 ? 'left' : 'right']: '50%' }}
                />
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

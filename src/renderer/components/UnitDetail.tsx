// One unit of the tiled layer up close: its weights as a large tile, and how it votes for
// each output (its outgoing weights into the next dense layer).
import { useEffect, useRef } from 'react';
import { useThrottledUi, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS } from '../hooks/useThrottledUi';
import { useTileView } from '../hooks/useModel';
import { useActions, useUi } from '../hooks/useUi';
import { TILE } from '../lib/atlas';
import { putImage, scratchImage } from '../lib/canvas';
import { maxAbs, paintDiverging } from '../lib/colormap';
import { findTensor } from '../lib/tensors';

const PIXELS = TILE * TILE;

export function UnitDetail() {
  const actions = useActions();
  const view = useTileView();
  const units = view?.units ?? 0;
  const unit = useUi((s) => s.selectedUnit);
  const activation = useUi((s) => (unit === null || !view ? undefined : findTensor(s.classification?.activations, view.firing, units)?.[unit]));
  const snapshot = useThrottledUi((s) => s.weights, WEIGHTS_INTERVAL_MS, WEIGHTS_PHASE_MS);
  const weights = view ? findTensor(snapshot?.tensors, view.weight, units * PIXELS) : null;
  const next = view?.next ?? null;
  const outgoing = next ? findTensor(snapshot?.tensors, next.weight, next.outputs * units) : null;
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const valid = unit !== null && unit < units;

  useEffect(() => {
    if (!valid || !weights || !canvas.current) return;
    const image = scratchImage(TILE, TILE);
    const offset = unit * PIXELS;
    paintDiverging(weights, offset, PIXELS, maxAbs(weights, offset, PIXELS), image.data);
    putImage(canvas.current, image);
  }, [valid, unit, weights]);

  if (unit === null || !view) {
    return <div className="unit-detail unit-empty">Click a tile to see that unit up close.</div>;
  }

  const votes: number[] = [];
  if (valid && next && outgoing) for (let o = 0; o < next.outputs; o++) votes.push(outgoing[o * units + unit]);
  const voteScale = Math.max(1e-9, ...votes.map(Math.abs));
  const hidden = next !== null;

  return (
    <div className="unit-detail" data-testid="unit-detail">
      <div className="unit-head">
        <h3>
          {hidden ? 'Hidden unit' : 'Unit'} {unit}
        </h3>
        <button type="button" className="link-btn" onClick={() => actions.selectUnit(null)}>
          close
        </button>
      </div>
      <canvas ref={canvas} width={TILE} height={TILE} className="unit-tile" data-testid="unit-tile" />
      {activation !== undefined && <p className="unit-activation">activation for the selected digit: {activation.toFixed(3)}</p>}
      {votes.length > 0 && next && (
        <div className="votes" title={`Outgoing weights into ${next.layer}: how this unit pushes each ${next.isOutput ? "digit's score" : 'unit of the next layer'}`}>
          <span className="votes-title">{next.isOutput ? 'votes for each digit' : `weights into ${next.layer}`}</span>
          {votes.map((v, d) => (
            <div className="vote" key={d}>
              <span className="vote-digit">{d}</span>
              <span className="vote-track">
                <span className={v >= 0 ? 'vote-bar vote-pos' : 'vote-bar vote-neg'} style={{ width: `${(Math.abs(v) / voteScale) * 50}%`, [v >= 0 ? 'left' : 'right']: '50%' }} />
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

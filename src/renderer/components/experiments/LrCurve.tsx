// A small drawing of the learning rate over the steps, for the schedule being edited, with the
// rate the trainer reported at its latest step marked as a dot (it sits on the curve when the
// trainer runs this schedule), and that rate written out below.
import { useMemo } from 'react';
import type { OptimizerConfig } from '../../../shared/optimizers';
import { useThrottledUi } from '../../hooks/useThrottledUi';
import { formatInt } from '../../lib/format';
import { curveHorizon, curvePoints, formatLr } from '../../lib/lrCurve';

const WIDTH = 240;
const HEIGHT = 64;
const PAD = 4;
/** The marker moves with training; twice a second is plenty. */
const MARKER_INTERVAL_MS = 500;

export function LrCurve({ optimizer }: { optimizer: OptimizerConfig }) {
  const now = useThrottledUi((s) => s.lr, MARKER_INTERVAL_MS);
  const step = now?.step ?? 0;
  const horizon = curveHorizon(optimizer, step);
  const points = useMemo(() => curvePoints(optimizer, horizon), [optimizer, horizon]);
  const top = Math.max(optimizer.hyper.lr, now?.value ?? 0) || 1;
  const x = (t: number) => PAD + ((WIDTH - 2 * PAD) * t) / horizon;
  const y = (lr: number) => HEIGHT - PAD - ((HEIGHT - 2 * PAD) * lr) / top;
  const path = points.map((p) => `${x(p.t).toFixed(1)},${y(p.lr).toFixed(1)}`).join(' ');
  // The reported rate belongs to step `step`, which used the schedule's value at t = step − 1.
  const marker = now ? { cx: x(Math.max(0, now.step - 1)), cy: y(now.value) } : null;

  return (
    <figure className="lr-curve" data-testid="lr-curve" data-points={points.length} data-horizon={horizon}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Learning rate over ${formatInt(horizon)} steps, from ${formatLr(points[0].lr)}`}>
        <line x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} className="lr-axis" />
        <polyline points={path} className="lr-line" data-testid="lr-line" />
        {marker && <circle cx={marker.cx} cy={marker.cy} r={3.5} className="lr-marker" data-testid="lr-marker" />}
      </svg>
      <figcaption className="lr-caption">
        <span>0</span>
        {now ? (
          <span data-testid="lr-now" data-lr={now.value} data-step={now.step}>
            lr {formatLr(now.value)} at step {formatInt(now.step)}
          </span>
        ) : (
          <span data-testid="lr-start">starts at {formatLr(points[0].lr)}</span>
        )}
        <span>{formatInt(horizon)} steps</span>
      </figcaption>
    </figure>
  );
}

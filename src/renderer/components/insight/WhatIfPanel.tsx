// What if (issue 18, item 4): sliders move, turn, scale, thicken or add noise to the selected
// digit; the 28×28 input is redrawn at once and the answer follows (one request at a time, the
// latest input wins). "Sweep" plots the answer's probability as the digit shifts −6…6 px.
import { MNIST_CLASSES } from '../../../shared/mnist';
import { isIdentity, WHAT_IF_RANGES, type WhatIf } from '../../../shared/images/whatIf';
import { useUi } from '../../hooks/useUi';
import { Explain } from '../explain/Explain';
import { DigitCanvas } from '../DigitCanvas';
import { useInsight, useInsightActions } from './context';
import type { Sweep } from '../../state/insightStore';
import { labelWidth } from '../../lib/axisWidth';

const KEYS = Object.keys(WHAT_IF_RANGES) as (keyof WhatIf)[];

function formatValue(key: keyof WhatIf, v: number): string {
  const r = WHAT_IF_RANGES[key];
  if (key === 'scale') return `${v.toFixed(2)}×`;
  if (key === 'noise') return v.toFixed(2);
  return `${v > 0 ? '+' : ''}${Number(v.toFixed(2))}${r.unit === 'px' ? ' px' : r.unit}`;
}

export function WhatIfPanel() {
  const actions = useInsightActions();
  const selected = useUi((s) => s.selected);
  const whatIf = useInsight((s) => s.whatIf);
  const input = useInsight((s) => s.input);
  const explanation = useInsight((s) => s.explanation);
  const sweep = useInsight((s) => s.sweep);
  const sweeping = useInsight((s) => s.sweeping);
  if (!selected || !input) return null;
  const probabilities = explanation?.classification.probabilities ?? [];
  const predicted = explanation?.classification.predicted ?? -1;
  return (
    <div className="whatif" data-testid="what-if" data-predicted={predicted}>
      <div className="whatif-input">
        <DigitCanvas pixels={input} scale={1} className="digit digit-large" />
        <span className="muted">what the network reads</span>
      </div>
      <div className="whatif-sliders">
        {KEYS.map((key) => {
          const r = WHAT_IF_RANGES[key];
          return (
            <label key={key} className="whatif-slider">
              <span className="whatif-label">{r.label}</span>
              <input type="range" min={r.min} max={r.max} step={r.step} value={whatIf[key]} data-testid={`whatif-${key}`} onChange={(e) => actions.setWhatIf({ [key]: Number(e.target.value) })} />
              <span className="whatif-value">{formatValue(key, whatIf[key])}</span>
            </label>
          );
        })}
        <div className="whatif-buttons">
          <button type="button" className="insight-button" onClick={actions.resetWhatIf} disabled={isIdentity(whatIf)}>
            Back to the digit
          </button>
          <button type="button" className="insight-button" data-testid="whatif-sweep" onClick={() => void actions.sweep()} disabled={sweeping}>
            {sweeping ? 'Sweeping…' : 'Sweep the shift'}
          </button>
          {sweeping && (
            <button
              type="button"
              className="insight-button"
              data-testid="whatif-sweep-cancel"
              title="Call it off: no more shifts are asked for, and those sent are dropped"
              onClick={actions.cancelSweep}
            >
              Cancel
            </button>
          )}
          <Explain title="Shift and the network" testId="explain-whatif">
            A dense network gives every pixel position its own weights, so the same digit a few pixels to the side is, to it, a different input: its answer can change completely. A convolutional
            network slides the same small filters over the whole image, so it follows the strokes wherever they are; pooling adds a little tolerance too. MNIST’s digits are all centred, so neither has
            seen shifted digits in training: compare how far each one’s answer holds.
          </Explain>
        </div>
      </div>
      <div className="prob-bars whatif-bars" data-testid="whatif-bars">
        {Array.from({ length: MNIST_CLASSES }, (_, d) => {
          const p = probabilities[d] ?? 0;
          return (
            <div className={`prob ${d === predicted ? 'prob-guess' : ''}`} key={d} data-testid={`whatif-prob-${d}`} data-p={p.toFixed(4)}>
              <span className="prob-digit">{d}</span>
              <span className="prob-track">
                <span className="prob-bar" style={{ width: `${(p * 100).toFixed(1)}%` }} />
              </span>
              <span className="prob-value">{explanation ? `${(p * 100).toFixed(0)}%` : ''}</span>
            </div>
          );
        })}
      </div>
      {sweep && <SweepPlot sweep={sweep} />}
    </div>
  );
}

const W = 260;
const H = 110;
// Room on the left for the widest tick label, "100%" (axisWidth.ts: a fixed 30 px cut its "1" off).
const PAD = { left: Math.ceil(labelWidth('100%', 10)) + 8, right: 18, top: 8, bottom: 22 };

function SweepPlot({ sweep }: { sweep: Sweep }) {
  const { points, target } = sweep;
  const min = points[0].shift;
  const max = points[points.length - 1].shift;
  const sx = (s: number) => PAD.left + ((s - min) / (max - min)) * (W - PAD.left - PAD.right);
  const sy = (p: number) => PAD.top + (1 - p) * (H - PAD.top - PAD.bottom);
  const line = (key: 'x' | 'y') =>
    points
      .filter((p) => Number.isFinite(p[key]))
      .map((p) => `${sx(p.shift).toFixed(1)},${sy(p[key]).toFixed(1)}`)
      .join(' ');
  return (
    <figure className="sweep" data-testid="sweep" data-done={sweep.done} data-cancelled={sweep.cancelled ? 'true' : 'false'}>
      <svg width={W} height={H} role="img" aria-label={`Probability of ${target} as the digit shifts`}>
        {[0, 0.5, 1].map((p) => (
          <g key={p}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(p)} y2={sy(p)} className="sweep-grid" />
            <text x={PAD.left - 4} y={sy(p) + 3} className="sweep-tick" textAnchor="end">
              {p * 100}%
            </text>
          </g>
        ))}
        {[min, 0, max].map((s) => (
          <text key={s} x={sx(s)} y={H - 6} className="sweep-tick" textAnchor="middle">
            {s > 0 ? `+${s}` : s} px
          </text>
        ))}
        <line x1={sx(0)} x2={sx(0)} y1={PAD.top} y2={H - PAD.bottom} className="sweep-zero" />
        <polyline points={line('x')} className="sweep-line sweep-x" />
        <polyline points={line('y')} className="sweep-line sweep-y" />
      </svg>
      <figcaption className="muted">
        P({target}) as the digit shifts: <span className="sweep-key-x">sideways</span>, <span className="sweep-key-y">up/down</span>
        {sweep.cancelled && ` · cancelled after ${sweep.done} of ${points.length} shifts`}
      </figcaption>
    </figure>
  );
}

// The layer over a chart that follows the pointer: a line and a box naming the run, the
// step and each series' value there (read from the per-step buffers, see lib/chartPointer),
// and a drag across the chart to zoom into those steps (both charts follow; "zoom out" or a
// double click goes back). It re-renders itself only: recharts is not touched by hovering.
import { useRef, useState, type PointerEvent } from 'react';
import type { EvaluationPoint } from '../../shared/contract';
import { useActions } from '../hooks/useUi';
import { evaluationNear, stepAtX, valuesAt, xOfStep, type PlotBox } from '../lib/chartPointer';
import { formatInt } from '../lib/format';
import type { Curves } from '../state/series';
import { uiStore } from '../state/store';

export interface PointerSeries {
  which: 'loss' | 'accuracy';
  /** This run's name, as the runs list gives it, e.g. "Run 3". */
  runName: string;
  rawName: string;
  testName: string;
  testKey: 'testLoss' | 'testAccuracy';
  format(v: number): string;
  previous: { label: string; curves: Curves } | null;
}

/** A drag shorter than this (px) is a click, not a zoom. */
const MIN_DRAG_PX = 6;
/** Values within this many px of the pointer belong to it. */
const NEAR_PX = 8;

interface Hover {
  x: number;
  step: number;
}

export function ChartPointer({
  series,
  domain,
  plot,
  evaluations,
  testId,
}: {
  series: PointerSeries;
  domain: readonly [number, number];
  /** The plot's margins inside this layer: left (y axis and margin) and right, in px. */
  plot: { left: number; right: number };
  evaluations: readonly EvaluationPoint[];
  testId: string;
}) {
  const actions = useActions();
  const layer = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);

  const box = (): PlotBox => {
    const width = layer.current?.clientWidth ?? 0;
    return { left: plot.left, width: Math.max(1, width - plot.left - plot.right) };
  };
  const pointerX = (event: PointerEvent<HTMLDivElement>) => event.clientX - event.currentTarget.getBoundingClientRect().left;

  const onMove = (event: PointerEvent<HTMLDivElement>) => {
    const x = pointerX(event);
    const b = box();
    const clamped = Math.min(b.left + b.width, Math.max(b.left, x));
    setHover({ x: clamped, step: stepAtX(clamped, b, domain) });
    if (drag) setDrag({ ...drag, to: clamped });
  };
  const onDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const b = box();
    const x = Math.min(b.left + b.width, Math.max(b.left, pointerX(event)));
    setDrag({ from: x, to: x });
  };
  const onUp = () => {
    if (!drag) return;
    setDrag(null);
    if (Math.abs(drag.to - drag.from) < MIN_DRAG_PX) return;
    const b = box();
    const a = stepAtX(Math.min(drag.from, drag.to), b, domain);
    const z = stepAtX(Math.max(drag.from, drag.to), b, domain);
    if (z - a >= 2) actions.setChartView({ range: [Math.floor(a), Math.ceil(z)] });
  };

  const perPixel = (domain[1] - domain[0]) / box().width;
  const tolerance = Math.max(1, perPixel * NEAR_PX);
  const { curves } = uiStore.getState();
  const current = hover ? valuesAt(curves, series.which, hover.step, tolerance) : null;
  const test = hover ? evaluationNear(evaluations, hover.step, tolerance) : null;
  const previous = hover && series.previous ? valuesAt(series.previous.curves, series.which, hover.step, tolerance) : null;
  const shownStep = current?.step ?? (hover ? Math.round(hover.step) : 0);

  return (
    <div
      ref={layer}
      className="chart-pointer"
      data-testid={testId}
      onPointerMove={onMove}
      onPointerDown={onDown}
      onPointerUp={onUp}
      onPointerCancel={() => setDrag(null)}
      onPointerLeave={() => {
        if (!drag) setHover(null);
      }}
      onDoubleClick={() => actions.setChartView({ range: null })}
    >
      {drag && Math.abs(drag.to - drag.from) >= MIN_DRAG_PX && <div className="chart-selection" style={{ left: Math.min(drag.from, drag.to), width: Math.abs(drag.to - drag.from) }} />}
      {hover && !drag && (
        <>
          <div className="chart-cursor" style={{ left: current ? xOfStep(current.step, box(), domain) : hover.x }} />
          <div
            className={`chart-tip ${hover.x > (layer.current?.clientWidth ?? 0) / 2 ? 'chart-tip-left' : ''}`}
            role="status"
            data-testid="chart-tooltip"
            data-step={shownStep}
            style={{ left: hover.x }}
          >
            <div className="chart-tip-head">
              {series.runName} · step {formatInt(shownStep)}
            </div>
            {current ? (
              <>
                <div>
                  {series.rawName} <b>{series.format(current.raw)}</b>
                </div>
                <div>
                  smoothed <b>{series.format(current.smoothed)}</b>
                </div>
              </>
            ) : (
              <div className="muted">no step of this run here</div>
            )}
            {test && (
              <div>
                {series.testName} <b>{series.format(test[series.testKey])}</b> <span className="muted">(test at step {formatInt(test.step)})</span>
              </div>
            )}
            {previous && series.previous && (
              <div className="chart-tip-previous">
                {series.previous.label}: smoothed <b>{series.format(previous.smoothed)}</b>
              </div>
            )}
          </div>
        </>
      )}
    </div>
  );
}

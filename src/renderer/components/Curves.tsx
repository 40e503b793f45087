// Live loss and accuracy curves. The store keeps every step; these charts draw
// a downsampled copy, rebuilt at most CHART_INTERVAL_MS apart, without animation.
//
// recharts 3 keeps its own store and syncs every prop into it from effects, and
// those updates render synchronously (outside React transitions). So every prop
// below except the data is a module constant: a redraw then dispatches only the new
// data, not a new margin, formatter or style object as well. The charts are
// mounted from page load on, drawing the chance line under a hint: recharts' first
// layout of axes and lines is then part of loading the page, not a long task in the
// first second of training.
import { memo, useMemo, type ReactNode } from 'react';
import { MNIST_CLASSES } from '../../shared/mnist';
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type XAxisTickContentProps,
  type YAxisTickContentProps,
} from 'recharts';
import type { EvaluationPoint } from '../../shared/contract';
import { useThrottledUi } from '../hooks/useThrottledUi';
import { formatInt, formatLoss, formatPercent } from '../lib/format';
import {
  accuracyPoints,
  CHANCE_ACCURACY,
  CHANCE_LOSS,
  chanceOnly,
  evaluationPoints,
  lossPoints,
  type AccuracyPoint,
  type ChanceRow,
  type LossPoint,
} from '../state/chartData';
import { uiStore } from '../state/store';

// Two redraws a second read as live; each costs recharts a full SVG rebuild. The
// accuracy chart redraws half an interval after the loss chart, in a task of its own.
const CHART_INTERVAL_MS = 500;
const CHART_HEIGHT = 220;

const margin = { top: 8, right: 12, bottom: 0, left: -8 };
const tickStyle = { fill: 'var(--muted)', fontSize: 11 };
const verticalShift = { start: '0.71em', middle: '0.355em', end: '0' } as const;

/**
 * A tick label as a plain SVG text. recharts' own <Text> measures its string in the
 * DOM to wrap words, on every redraw of every tick; these labels are a few characters.
 */
function plainTick({ x, y, payload, index, textAnchor, verticalAnchor, tickFormatter }: XAxisTickContentProps | YAxisTickContentProps): ReactNode {
  const label = tickFormatter ? tickFormatter(payload.value, index) : String(payload.value);
  return (
    <text x={x} y={y} dy={verticalShift[verticalAnchor]} textAnchor={textAnchor} style={tickStyle} className="recharts-cartesian-axis-tick-value">
      {label}
    </text>
  );
}
const xDomain = ['dataMin', 'dataMax'] as const;
const lossDomain = [0, 'auto'] as const;
const accuracyDomain = [0, 1] as const;
const legendStyle = { fontSize: 12 };
// Test points are a Line without a stroke, not a Scatter: a Scatter re-registers its
// tooltip entries whenever its points move (every redraw, as the x axis grows), which
// costs recharts another synchronous render of the whole chart.
// The axes show their five nice ticks as they are (`interval={0}`), and the grid has no
// vertical lines to place: otherwise recharts measures every tick label in the DOM on
// each redraw to thin out overlapping ones, which never overlap at these sizes.
const noGridLines = (): number[] => [];
// The test Line is left out until there are test points: a Line with empty `data` falls
// back to the chart's data, and would lay out (invisible) dots for all of its rows.
const testDot = { r: 3, fill: 'var(--test)', stroke: 'var(--test)' };
const stepTick = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : String(v));
const stepLabel = (v: unknown) => `step ${formatInt(Number(v))}`;
const lossTick = (v: number) => v.toFixed(1);
const percentTick = (v: number) => `${Math.round(v * 100)}%`;
const lossValue = (v: unknown) => formatLoss(Number(v));
const percentValue = (v: unknown) => formatPercent(Number(v), 1);

// A dashed line at chance level (see CHANCE_LOSS): where training starts, and what it beats.
const chanceStroke = { stroke: 'var(--muted)', strokeWidth: 1, strokeDasharray: '4 4' };
// Before the first step the charts draw only that line. Their axes and lines are then laid
// out once at page load, not for the first time in the middle of the first second of training.
const lossBeforeTraining = chanceOnly(CHANCE_LOSS);
const accuracyBeforeTraining = chanceOnly(CHANCE_ACCURACY);

function EmptyChart({ text }: { text: string }) {
  return <div className="chart-empty">{text}</div>;
}

/** What sets the loss and accuracy plots apart; each is a module constant, so its props stay constant too. */
interface PlotSpec {
  yDomain: readonly [number, number | 'auto'];
  yWidth: number;
  yTick: (v: number) => string;
  value: (v: unknown) => string;
  raw: { name: string; key: string; stroke: string };
  smoothed: { key: string; stroke: string };
  chanceName: string;
  test: { name: string; key: string };
}

const lossSpec: PlotSpec = {
  yDomain: lossDomain,
  yWidth: 44,
  yTick: lossTick,
  value: lossValue,
  raw: { name: 'batch loss', key: 'loss', stroke: 'var(--loss-raw)' },
  smoothed: { key: 'lossEma', stroke: 'var(--loss)' },
  chanceName: `chance (ln ${MNIST_CLASSES})`,
  test: { name: 'test loss', key: 'testLoss' },
};

const accuracySpec: PlotSpec = {
  yDomain: accuracyDomain,
  yWidth: 48,
  yTick: percentTick,
  value: percentValue,
  raw: { name: 'batch accuracy', key: 'accuracy', stroke: 'var(--acc-raw)' },
  smoothed: { key: 'accuracyEma', stroke: 'var(--acc)' },
  chanceName: `chance (${100 / MNIST_CLASSES}%)`,
  test: { name: 'test accuracy', key: 'testAccuracy' },
};

/** Redraws only when its data or test points change (the panels around it re-render on their own). */
const Plot = memo(function Plot({ spec, data, tests }: { spec: PlotSpec; data: readonly (LossPoint | AccuracyPoint | ChanceRow)[]; tests: EvaluationPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <ComposedChart data={data} margin={margin}>
        <CartesianGrid stroke="var(--grid)" vertical={false} verticalCoordinatesGenerator={noGridLines} />
        <XAxis dataKey="step" type="number" domain={xDomain} tick={plainTick} tickFormatter={stepTick} interval={0} allowDuplicatedCategory={false} />
        <YAxis tick={plainTick} interval={0} domain={spec.yDomain} width={spec.yWidth} tickFormatter={spec.yTick} />
        <Tooltip isAnimationActive={false} labelFormatter={stepLabel} formatter={spec.value} />
        <Legend iconType="plainline" wrapperStyle={legendStyle} />
        <Line name={spec.raw.name} dataKey={spec.raw.key} stroke={spec.raw.stroke} strokeWidth={1} dot={false} activeDot={false} isAnimationActive={false} />
        <Line name="smoothed" dataKey={spec.smoothed.key} stroke={spec.smoothed.stroke} strokeWidth={2} dot={false} activeDot={false} isAnimationActive={false} />
        <Line name={spec.chanceName} dataKey="chance" {...chanceStroke} dot={false} activeDot={false} isAnimationActive={false} />
        {tests.length > 0 && <Line name={spec.test.name} data={tests} dataKey={spec.test.key} stroke="var(--test)" strokeWidth={0} dot={testDot} activeDot={false} legendType="circle" isAnimationActive={false} />}
      </ComposedChart>
    </ResponsiveContainer>
  );
});

export function LossChart() {
  const version = useThrottledUi((s) => s.curvesVersion, CHART_INTERVAL_MS);
  // Test points join on the chart's own beat: an evaluation then costs no extra synchronous redraw.
  const allEvaluations = useThrottledUi((s) => s.evaluations, CHART_INTERVAL_MS);
  const evaluations = useMemo(() => evaluationPoints(allEvaluations), [allEvaluations]);
  // `version` changes whenever the buffers grew; the buffers are read, not copied.
  const data = useMemo(() => lossPoints(uiStore.getState().curves), [version]);
  const latest = data.length > 0 ? data[data.length - 1].lossEma : NaN;
  const first = data.length > 0 ? data[0].lossEma : NaN;

  return (
    <section
      className="panel chart-panel"
      data-testid="loss-chart"
      data-point-count={data.length}
      data-first-loss={Number.isFinite(first) ? first : ''}
      data-last-step={data.length > 0 ? data[data.length - 1].step : 0}
      data-latest-loss={Number.isFinite(latest) ? latest : ''}
    >
      <header className="panel-head">
        <h2>Loss</h2>
        <span className="panel-value">{formatLoss(latest)}</span>
      </header>
      <div className="chart-body">
        <Plot spec={lossSpec} data={data.length > 0 ? data : lossBeforeTraining} tests={evaluations} />
        {data.length === 0 && <EmptyChart text="Press Train to watch the loss fall." />}
      </div>
    </section>
  );
}

export function AccuracyChart() {
  const version = useThrottledUi((s) => s.curvesVersion, CHART_INTERVAL_MS, CHART_INTERVAL_MS / 2);
  const allEvaluations = useThrottledUi((s) => s.evaluations, CHART_INTERVAL_MS, CHART_INTERVAL_MS / 2);
  const evaluations = useMemo(() => evaluationPoints(allEvaluations), [allEvaluations]);
  const data = useMemo(() => accuracyPoints(uiStore.getState().curves), [version]);
  const latestTest = evaluations.length > 0 ? evaluations[evaluations.length - 1].testAccuracy : NaN;

  return (
    <section className="panel chart-panel" data-testid="accuracy-chart" data-point-count={data.length} data-test-points={evaluations.length}>
      <header className="panel-head">
        <h2>Accuracy</h2>
        <span className="panel-value">{Number.isFinite(latestTest) ? `test ${formatPercent(latestTest, 2)}` : ''}</span>
      </header>
      <div className="chart-body">
        <Plot spec={accuracySpec} data={data.length > 0 ? data : accuracyBeforeTraining} tests={evaluations} />
        {data.length === 0 && <EmptyChart text="Batch accuracy and test accuracy appear here." />}
      </div>
    </section>
  );
}

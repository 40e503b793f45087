// Live loss and accuracy curves. The store keeps every step; these charts draw
// a downsampled copy, rebuilt at most CHART_INTERVAL_MS apart, without animation.
//
// recharts 3 keeps its own store and syncs every prop into it from effects, and
// those updates render synchronously (outside React transitions). So the props below
// are module constants or memoised values: a redraw dispatches only what changed. The
// charts are mounted from page load on, drawing the chance line under a hint: recharts'
// first layout of axes and lines is then part of loading the page, not a long task in the
// first second of training.
//
// Hover, zoom and the legend are ours (ChartPointer.tsx, ChartLegend below), not recharts':
// its tooltip picked the wrong step on a number axis, and each pointer move re-rendered the
// chart. The charts are not in the Tab order (accessibilityLayer off): the numbers they show
// are in the panels' headings, and Zoom out and the log scale are buttons.
import { memo, useMemo, type ReactNode } from 'react';
import { CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, XAxis, YAxis, type XAxisTickContentProps, type YAxisTickContentProps } from 'recharts';
import type { EvaluationPoint } from '../../shared/contract';
import { firstEvaluationText } from '../../shared/evaluationRhythm';
import { MNIST_CLASSES } from '../../shared/mnist';
import { useShownEvaluation } from '../hooks/useShownEvaluation';
import { useThrottledUi } from '../hooks/useThrottledUi';
import { useActions, useUi } from '../hooks/useUi';
import { formatInt, formatLoss, formatPercent, formatStepTick } from '../lib/format';
import { settingsMarkers, type SettingsMarker } from '../lib/runCompare';
import {
  accuracyPoints,
  CHANCE_ACCURACY,
  CHANCE_LOSS,
  chanceRows,
  clampToAxis,
  evaluationPoints,
  fitAccuracyAxis,
  fitLossAxis,
  logDomain,
  logTicks,
  valueTick,
  valueTicks,
  lossPoints,
  previousPoints,
  stepDomain,
  stepTicks,
  type AccuracyPoint,
  type LossPoint,
  type PreviousPoint,
} from '../state/chartData';
import { previousRunLabel, runName, uiStore, type RunNames } from '../state/store';
import { runsStore } from '../state/runsStore';
import { useStore } from 'zustand';
import { ChartPointer, type PointerSeries } from './ChartPointer';
import { PanelHead } from './explain/PanelHead';
import { yAxisWidth } from '../lib/axisWidth';

// Two redraws a second read as live; each costs recharts a full SVG rebuild. The
// accuracy chart redraws half an interval after the loss chart, in a task of its own.
const CHART_INTERVAL_MS = 500;
const CHART_HEIGHT = 220;
/** The lowest loss a log axis shows (a batch all right can round to a loss of 0). */
const LOG_FLOOR = 1e-4;

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
// Test points are a Line without a stroke, not a Scatter: a Scatter re-registers its
// entries whenever its points move (every redraw, as the x axis grows), which costs
// recharts another synchronous render of the whole chart.
// The axes show their ticks as they are (`interval={0}`), and the grid has no vertical
// lines to place: otherwise recharts measures every tick label in the DOM on each redraw
// to thin out overlapping ones, which never overlap at these sizes.
const noGridLines = (): number[] => [];
// The test Line is left out until there are test points: a Line with empty `data` falls
// back to the chart's data, and would lay out (invisible) dots for all of its rows.
const testDot = { r: 3, fill: 'var(--test)', stroke: 'var(--test)' };
const stepTick = formatStepTick;
// Loss ticks are round values (valueTicks), each written exactly: 0.5, 1, 2.5; thousands grouped.
const lossTick = valueTick;
/** Log-axis ticks are 1, 2 and 5 times powers of ten: written as they are (0.05, 1, 2). */
const logTick = (v: number) => String(Number(v.toPrecision(1)));
const percentTick = (v: number) => `${Math.round(v * 100)}%`;

// A dashed line at chance level (see CHANCE_LOSS): where training starts, and what it beats.
const chanceStroke = { stroke: 'var(--chance)', strokeWidth: 1, strokeDasharray: '4 4' };
const previousStroke = { stroke: 'var(--previous)', strokeWidth: 2, strokeDasharray: '6 3' };

/** What sets the loss and accuracy plots apart; each is a module constant. */
interface PlotSpec {
  which: 'loss' | 'accuracy';
  /** The y axis's narrowest width (wider when its labels need it). */
  yWidth: number;
  yTick: (v: number) => string;
  value: (v: number) => string;
  raw: { name: string; key: string; stroke: string };
  smoothed: { name: string; key: string; stroke: string };
  chanceName: string;
  test: { name: string; key: 'testLoss' | 'testAccuracy' };
}

const lossSpec: PlotSpec = {
  which: 'loss',
  yWidth: 44,
  yTick: lossTick,
  value: formatLoss,
  raw: { name: 'batch loss', key: 'loss', stroke: 'var(--loss-raw)' },
  smoothed: { name: 'smoothed', key: 'lossEma', stroke: 'var(--loss)' },
  chanceName: `chance (ln ${MNIST_CLASSES})`,
  test: { name: 'test loss', key: 'testLoss' },
};

const accuracySpec: PlotSpec = {
  which: 'accuracy',
  yWidth: 48,
  yTick: percentTick,
  value: (v) => formatPercent(v, 1),
  raw: { name: 'batch accuracy', key: 'accuracy', stroke: 'var(--acc-raw)' },
  smoothed: { name: 'smoothed', key: 'accuracyEma', stroke: 'var(--acc)' },
  chanceName: `chance (${100 / MNIST_CLASSES}%)`,
  test: { name: 'test accuracy', key: 'testAccuracy' },
};

/** A value off the top of the axis: a small triangle at the edge, pointing up. */
export function offScaleDot(props: { cx?: number; cy?: number; index?: number; payload?: { offScale?: number } }): ReactNode {
  const { cx, cy, index, payload } = props;
  if (cx === undefined || cy === undefined || payload?.offScale === undefined) return <g key={`off-${index}`} />;
  return <path key={`off-${index}`} className="chart-offscale" d={`M${cx},${cy} l-4,7 h8 z`} fill="var(--danger)" stroke="none" />;
}

/** A settings change: a thin vertical line at the first step trained with the new settings, labelled with what changed. */
export function markerLines(markers: readonly SettingsMarker[], color = 'var(--muted)', x: (step: number) => number = (step) => step): ReactNode[] {
  return markers.map((m, i) => (
    <ReferenceLine
      key={`settings-${i}-${m.step}`}
      className="chart-settings-change"
      x={x(m.step)}
      stroke={color}
      strokeWidth={1}
      strokeDasharray="3 3"
      ifOverflow="hidden"
      label={{ value: shortLabel(m.label), position: 'insideTopLeft', fontSize: 10, fill: color }}
    />
  ));
}

/** A marker's label, short enough not to run across the plot. */
const shortLabel = (label: string) => (label.length > 22 ? `${label.slice(0, 21)}…` : label);

interface PlotProps {
  spec: PlotSpec;
  /** The y axis's width, fitted to its labels (axisWidth.ts). */
  yWidth: number;
  data: readonly (LossPoint | AccuracyPoint)[];
  tests: EvaluationPoint[];
  previous: PreviousPoint[];
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  yTicks?: number[];
  log: boolean;
  markers: readonly SettingsMarker[];
}

/** Redraws only when its props change (the panels around it re-render on their own). */
const Plot = memo(function Plot({ spec, yWidth, data, tests, previous, xDomain, yDomain, yTicks, log, markers }: PlotProps) {
  const chance = useMemo(() => chanceRows(xDomain, spec.which === 'loss' ? CHANCE_LOSS : CHANCE_ACCURACY), [xDomain, spec]);
  const xTicks = useMemo(() => stepTicks(xDomain[0], xDomain[1]), [xDomain]);
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <ComposedChart data={data as object[]} margin={margin} accessibilityLayer={false}>
        <CartesianGrid stroke="var(--grid)" vertical={false} verticalCoordinatesGenerator={noGridLines} />
        <XAxis
          dataKey="step"
          type="number"
          domain={xDomain as [number, number]}
          allowDataOverflow
          ticks={xTicks}
          tick={plainTick}
          tickFormatter={stepTick}
          interval={0}
          allowDuplicatedCategory={false}
        />
        <YAxis
          tick={plainTick}
          interval={0}
          scale={log ? 'log' : 'auto'}
          domain={yDomain as [number, number]}
          allowDataOverflow
          ticks={yTicks}
          width={yWidth}
          tickFormatter={log ? logTick : spec.yTick}
        />
        {previous.length > 0 && <Line data={previous} dataKey="value" {...previousStroke} dot={false} activeDot={false} isAnimationActive={false} />}
        <Line dataKey={spec.raw.key} stroke={spec.raw.stroke} strokeWidth={1} dot={false} activeDot={false} isAnimationActive={false} />
        <Line dataKey={spec.smoothed.key} stroke={spec.smoothed.stroke} strokeWidth={2} dot={false} activeDot={false} isAnimationActive={false} />
        <Line data={chance} dataKey="chance" {...chanceStroke} dot={false} activeDot={false} isAnimationActive={false} />
        {tests.length > 0 && <Line data={tests} dataKey={spec.test.key} stroke="var(--test)" strokeWidth={0} dot={testDot} activeDot={false} isAnimationActive={false} />}
        {data.some((row) => (row as { offScale?: number }).offScale !== undefined) && (
          <Line dataKey="offScale" stroke="none" strokeWidth={0} dot={offScaleDot} activeDot={false} isAnimationActive={false} legendType="none" />
        )}
        {markerLines(markers)}
      </ComposedChart>
    </ResponsiveContainer>
  );
});

function LegendItem({ kind, color, children }: { kind: 'thin' | 'thick' | 'dashed' | 'dot' | 'previous'; color: string; children: ReactNode }) {
  return (
    <span className="chart-legend-item">
      <span className={`chart-swatch chart-swatch-${kind}`} style={{ color }} aria-hidden="true" />
      {children}
    </span>
  );
}

function ChartLegend({ spec, hasTests, previous }: { spec: PlotSpec; hasTests: boolean; previous: string | null }) {
  return (
    <div className="chart-legend" data-testid={`${spec.which}-legend`}>
      <LegendItem kind="thin" color={spec.raw.stroke}>
        {spec.raw.name}
      </LegendItem>
      <LegendItem kind="thick" color={spec.smoothed.stroke}>
        {spec.smoothed.name}
      </LegendItem>
      {hasTests && (
        <LegendItem kind="dot" color="var(--test)">
          {spec.test.name}
        </LegendItem>
      )}
      <LegendItem kind="dashed" color="var(--chance)">
        {spec.chanceName}
      </LegendItem>
      {previous && (
        <LegendItem kind="previous" color="var(--previous)">
          {previous}
        </LegendItem>
      )}
    </div>
  );
}

const noNames: RunNames = new Map();
/** The kept runs' names by id (the runs list's): the charts call runs by them. */
function useRunNames(): RunNames {
  const list = useStore(runsStore, (s) => s.list);
  return useMemo(() => (list ? new Map(list.runs.map((r) => [r.id, r.name])) : noNames), [list]);
}

/** What the triangles at the top edge are: values too large to draw without flattening the rest. */
export function OffScaleNote({ count, highest, testId }: { count: number; highest: number | null; testId: string }) {
  const most = highest === null ? '' : Number.isFinite(highest) ? ` (up to ${formatLoss(highest)})` : ' (not a number)';
  return (
    <span
      className="chart-offscale-note"
      data-testid={testId}
      title="The axis fits the part of training that did not explode; the values above it are drawn at the top edge. The log scale shows them all."
    >
      <span aria-hidden="true">▲</span> {count} off scale{most}
    </span>
  );
}

/** Zoom out (when zoomed) and, for the loss, the log scale: buttons, so the keyboard reaches them. */
function ChartControls({ log }: { log: boolean }) {
  const actions = useActions();
  const view = useUi((s) => s.chartView);
  return (
    <div className="chart-controls">
      {log && (
        <button
          type="button"
          className={view.logLoss ? 'chip chip-on' : 'chip'}
          aria-pressed={view.logLoss}
          data-testid="loss-log-scale"
          title="A logarithmic loss axis spreads out the slow late part of training"
          onClick={() => actions.setChartView({ logLoss: !view.logLoss })}
        >
          log scale
        </button>
      )}
      {view.range && (
        <button type="button" className="chip" data-testid={log ? 'loss-zoom-out' : 'accuracy-zoom-out'} onClick={() => actions.setChartView({ range: null })}>
          zoom out
        </button>
      )}
    </div>
  );
}

interface ChartProps {
  spec: PlotSpec;
  phaseMs: number;
  testId: string;
  empty: string;
  /** The value in the heading, from this chart's rows. */
  headline(rows: readonly (LossPoint | AccuracyPoint)[]): ReactNode;
  title: string;
}

function Chart({ spec, phaseMs, testId, empty, headline, title }: ChartProps) {
  const version = useThrottledUi((s) => s.curvesVersion, CHART_INTERVAL_MS, phaseMs);
  // Test points join on the chart's own beat: an evaluation then costs no extra synchronous redraw.
  const allEvaluations = useThrottledUi((s) => s.evaluations, CHART_INTERVAL_MS, phaseMs);
  const view = useUi((s) => s.chartView);
  const previousRun = useUi((s) => s.previousRun);
  const run = useUi((s) => s.run);
  const log = spec.which === 'loss' && view.logLoss;
  const floor = log ? LOG_FLOOR : 0;
  // `version` changes whenever the buffers grew (they are mutated in place, read, not copied): `grown` is a
  // fresh handle on them per version, so what is drawn from them is computed again exactly then.
  const grown = useMemo(() => ({ curves: uiStore.getState().curves, version }), [version]);
  const { curves } = uiStore.getState();
  const xDomain = useMemo(() => stepDomain(grown.curves, previousRun?.curves ?? null, view.range), [grown, previousRun, view.range]);
  const rows = useMemo(
    () => (spec.which === 'loss' ? lossPoints(grown.curves, undefined, view.range, floor) : accuracyPoints(grown.curves, undefined, view.range)),
    [grown, spec.which, view.range, floor],
  );
  const allTests = useMemo(() => {
    const points = evaluationPoints(allEvaluations, undefined, view.range);
    return log ? points.map((p) => ({ ...p, testLoss: Math.max(p.testLoss, floor) })) : points;
  }, [allEvaluations, view.range, log, floor]);
  const previous = useMemo(() => (previousRun ? previousPoints(previousRun.curves, spec.which, undefined, view.range ?? xDomain, floor) : []), [previousRun, spec.which, view.range, xDomain, floor]);
  // The y axis fits the readable part: exploded losses go to the top edge, marked; a zoom fits the steps in view.
  const fit = useMemo(() => {
    const zoomed = view.range !== null;
    if (spec.which === 'accuracy') {
      const values = rows.flatMap((r) => [(r as AccuracyPoint).accuracy, (r as AccuracyPoint).accuracyEma]).concat(allTests.map((t) => t.testAccuracy));
      return { domain: fitAccuracyAxis(values, zoomed), offScale: 0, highest: null };
    }
    if (log) return { domain: logDomain(rows as readonly LossPoint[], LOG_FLOOR), offScale: 0, highest: null };
    const values = rows
      .flatMap((r) => [(r as LossPoint).loss, (r as LossPoint).lossEma])
      .concat(
        allTests.map((t) => t.testLoss),
        previous.map((p) => p.value),
      );
    return fitLossAxis(values, zoomed);
  }, [spec.which, rows, allTests, previous, log, view.range]);
  const yDomain = fit.domain;
  const data = useMemo(
    () => (fit.offScale > 0 ? clampToAxis<LossPoint | AccuracyPoint>(rows, [spec.raw.key, spec.smoothed.key], yDomain[1]) : rows),
    [rows, fit, yDomain, spec.raw.key, spec.smoothed.key],
  );
  const tests = useMemo(() => (fit.offScale > 0 ? clampToAxis(allTests, [spec.test.key], yDomain[1]) : allTests), [allTests, fit, yDomain, spec.test.key]);
  const yTicks = useMemo(() => (log ? logTicks(yDomain[0], yDomain[1]) : spec.which === 'loss' ? valueTicks(yDomain[0], yDomain[1]) : undefined), [log, yDomain, spec.which]);
  // Wide enough for the widest label: the ticks when they are chosen here (log, and the loss's round values), else the axis's ends and middle.
  const yWidth = useMemo(() => {
    const format = log ? logTick : spec.yTick;
    return yAxisWidth((yTicks ?? [yDomain[0], yDomain[1], (yDomain[0] + yDomain[1]) / 2]).map(format), { marginLeft: margin.left, min: spec.yWidth });
  }, [log, spec, yTicks, yDomain]);
  const settings = useUi((s) => s.settings);
  const markers = useMemo(() => settingsMarkers(settings), [settings]);

  const names = useRunNames();
  const previousLabel = previousRun ? previousRunLabel(previousRun, names) : null;
  const series = useMemo<PointerSeries>(
    () => ({
      which: spec.which,
      runName: runName(run, names),
      rawName: spec.raw.name,
      testName: spec.test.name,
      testKey: spec.test.key,
      format: spec.value,
      previous: previousRun && previousLabel ? { label: previousLabel, curves: previousRun.curves } : null,
    }),
    [run, previousRun, names, previousLabel, spec],
  );

  const last = data.length > 0 ? data[data.length - 1] : null;
  return (
    <section
      className="panel chart-panel"
      data-testid={testId}
      data-point-count={data.length}
      data-last-step={last ? last.step : 0}
      data-domain={xDomain.join(',')}
      data-test-points={tests.length}
      data-y-domain={yDomain.join(',')}
      data-off-scale={fit.offScale}
      data-markers={markers.map((m) => m.step).join(',')}
      {...(spec.which === 'loss' ? { 'data-first-loss': data.length > 0 ? (data[0] as LossPoint).lossEma : '', 'data-latest-loss': last ? (last as LossPoint).lossEma : '' } : {})}
    >
      <PanelHead title={title} topic={spec.which}>
        <span className="panel-value">{headline(data)}</span>
      </PanelHead>
      <div className="chart-body">
        <Plot spec={spec} yWidth={yWidth} data={data} tests={tests} previous={previous} xDomain={xDomain} yDomain={yDomain} yTicks={yTicks} log={log} markers={markers} />
        {curves.step.length === 0 && !previousRun ? (
          <div className="chart-empty">{empty}</div>
        ) : (
          <ChartPointer series={series} domain={xDomain} plot={{ left: margin.left + yWidth, right: margin.right }} evaluations={allEvaluations} testId={`${spec.which}-pointer`} />
        )}
      </div>
      <div className="chart-foot">
        <ChartLegend spec={spec} hasTests={tests.length > 0} previous={previousLabel} />
        {fit.offScale > 0 && <OffScaleNote count={fit.offScale} highest={fit.highest} testId={`${spec.which}-off-scale`} />}
        <ChartControls log={spec.which === 'loss'} />
      </div>
    </section>
  );
}

export function LossChart() {
  return (
    <Chart
      spec={lossSpec}
      phaseMs={0}
      testId="loss-chart"
      title="Loss"
      empty="Press Train to watch the loss fall."
      headline={(rows) => {
        const last = rows.length > 0 ? (rows[rows.length - 1] as LossPoint) : null;
        return last ? `smoothed ${formatLoss(last.lossEma)}` : '';
      }}
    />
  );
}

/** The accuracy chart's heading shows the same evaluation as the status line and the evaluation panels, with its step. */
function TestHeadline() {
  const evaluation = useShownEvaluation();
  return evaluation ? (
    <span data-testid="accuracy-chart-test" data-step={evaluation.step}>
      test {formatPercent(evaluation.testAccuracy, 2)} <span className="muted">at step {formatInt(evaluation.step)}</span>
    </span>
  ) : null;
}

export function AccuracyChart() {
  const evalEvery = useUi((s) => s.config.evalEvery);
  return (
    <Chart
      spec={accuracySpec}
      phaseMs={CHART_INTERVAL_MS / 2}
      testId="accuracy-chart"
      title="Accuracy"
      empty={`Batch accuracy appears as soon as you press Train. ${firstEvaluationText(evalEvery)}`}
      headline={() => <TestHeadline />}
    />
  );
}

// Live loss and accuracy curves. The store keeps every step; these charts draw
// a downsampled copy, rebuilt at most CHART_INTERVAL_MS apart, without animation.
import { useMemo } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useThrottledUi } from '../hooks/useThrottledUi';
import { useUi } from '../hooks/useUi';
import { formatInt, formatLoss, formatPercent } from '../lib/format';
import { accuracyPoints, evaluationPoints, lossPoints } from '../state/chartData';
import { uiStore } from '../state/store';

// Two redraws a second read as live; each costs recharts a full SVG rebuild.
const CHART_INTERVAL_MS = 500;
const MAX_POINTS = 500;

const axisTick = { fill: 'var(--muted)', fontSize: 11 };
const stepTick = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : String(v));

function EmptyChart({ text }: { text: string }) {
  return <div className="chart-empty">{text}</div>;
}

export function LossChart() {
  const version = useThrottledUi((s) => s.curvesVersion, CHART_INTERVAL_MS);
  const allEvaluations = useUi((s) => s.evaluations);
  const evaluations = useMemo(() => evaluationPoints(allEvaluations), [allEvaluations]);
  // `version` changes whenever the buffers grew; the buffers are read, not copied.
  const data = useMemo(() => lossPoints(uiStore.getState().curves, MAX_POINTS), [version]);
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
      {data.length === 0 ? (
        <EmptyChart text="Press Train to watch the loss fall." />
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={axisTick} tickFormatter={stepTick} allowDuplicatedCategory={false} />
            <YAxis tick={axisTick} domain={[0, 'auto']} width={44} tickFormatter={(v: number) => v.toFixed(1)} />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(v) => `step ${formatInt(Number(v))}`}
              formatter={(v) => formatLoss(Number(v))}
            />
            <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
            <Line name="batch loss" dataKey="loss" stroke="var(--loss-raw)" strokeWidth={1} dot={false} isAnimationActive={false} />
            <Line name="smoothed" dataKey="lossEma" stroke="var(--loss)" strokeWidth={2} dot={false} isAnimationActive={false} />
            <Scatter name="test loss" data={evaluations} dataKey="testLoss" fill="var(--test)" isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </section>
  );
}

export function AccuracyChart() {
  const version = useThrottledUi((s) => s.curvesVersion, CHART_INTERVAL_MS);
  const allEvaluations = useUi((s) => s.evaluations);
  const evaluations = useMemo(() => evaluationPoints(allEvaluations), [allEvaluations]);
  const data = useMemo(() => accuracyPoints(uiStore.getState().curves, MAX_POINTS), [version]);
  const latestTest = evaluations.length > 0 ? evaluations[evaluations.length - 1].testAccuracy : NaN;

  return (
    <section className="panel chart-panel" data-testid="accuracy-chart" data-point-count={data.length} data-test-points={evaluations.length}>
      <header className="panel-head">
        <h2>Accuracy</h2>
        <span className="panel-value">{Number.isFinite(latestTest) ? `test ${formatPercent(latestTest, 2)}` : ''}</span>
      </header>
      {data.length === 0 ? (
        <EmptyChart text="Batch accuracy and test accuracy appear here." />
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={axisTick} tickFormatter={stepTick} allowDuplicatedCategory={false} />
            <YAxis tick={axisTick} domain={[0, 1]} width={44} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(v) => `step ${formatInt(Number(v))}`}
              formatter={(v) => formatPercent(Number(v), 1)}
            />
            <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
            <Line name="batch accuracy" dataKey="accuracy" stroke="var(--acc-raw)" strokeWidth={1} dot={false} isAnimationActive={false} />
            <Line name="smoothed" dataKey="accuracyEma" stroke="var(--acc)" strokeWidth={2} dot={false} isAnimationActive={false} />
            <Scatter name="test accuracy" data={evaluations} dataKey="testAccuracy" fill="var(--test)" isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </section>
  );
}

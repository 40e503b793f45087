// The selected runs side by side: their loss and accuracy curves overlaid (against steps,
// epochs or training time; test evaluations as dots), and a table of the settings in which
// they differ. Drawn only when the selection or the axis changes, never while training.
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { settingsAtBest, type RunRecord } from '../../../shared/runs';
import { formatPercent, formatStepTick } from '../../lib/format';
import { yAxisWidth } from '../../lib/axisWidth';
import { axisValue, compareLossAxis, compareSettings, curvePoints, LOG_FLOOR, settingsMarkers, testPoints, type Axis } from '../../lib/runCompare';
import { clampToAxis, valueTick } from '../../state/chartData';
import type { RunsActions } from '../../state/runsStore';
import { markerLines, offScaleDot, OffScaleNote } from '../Curves';
import { changedText, settingsText, useRuns } from './RunsPanel';

const COLORS = ['#4f46e5', '#e11d48', '#0f9f6e', '#d97706', '#0891b2', '#7c3aed', '#65a30d', '#db2777'];
export const runColor = (index: number) => COLORS[index % COLORS.length];

const AXES: { axis: Axis; label: string; tick: (v: number) => string }[] = [
  { axis: 'step', label: 'Step', tick: formatStepTick },
  { axis: 'epoch', label: 'Epoch', tick: (v) => v.toFixed(2) },
  { axis: 'seconds', label: 'Time (s)', tick: (v) => v.toFixed(0) },
];

const margin = { top: 6, right: 12, bottom: 0, left: -8 };
const xDomain = ['dataMin', 'dataMax'] as const;
const tickStyle = { fontSize: 11, fill: 'var(--muted)' };

interface Overlay {
  record: RunRecord;
  color: string;
}

interface Drawn {
  record: RunRecord;
  color: string;
  curve: ReturnType<typeof curvePoints>;
  tests: ReturnType<typeof testPoints>;
}

const CompareChart = memo(function CompareChart({ overlays, axis, metric, log }: { overlays: Overlay[]; axis: Axis; metric: 'loss' | 'accuracy'; log: boolean }) {
  const tick = AXES.find((a) => a.axis === axis)?.tick;
  const percent = metric === 'accuracy';
  const value = (v: unknown) => (percent ? formatPercent(Number(v), 1) : Number(v).toFixed(3));
  const logScale = log && !percent;
  const { drawn, fit } = useMemo(() => {
    const raw: Drawn[] = overlays.map(({ record, color }) => ({ record, color, curve: curvePoints(record, axis), tests: testPoints(record, axis) }));
    if (percent) return { drawn: raw, fit: { domain: [0, 1] as [number, number], ticks: undefined, offScale: 0, highest: null } };
    const fit = compareLossAxis(raw, logScale);
    const top = fit.domain[1];
    const floor = (rows: { loss?: number; testLoss?: number }[]) =>
      logScale
        ? rows.map((r) => ({ ...r, ...(r.loss !== undefined ? { loss: Math.max(r.loss, LOG_FLOOR) } : {}), ...(r.testLoss !== undefined ? { testLoss: Math.max(r.testLoss, LOG_FLOOR) } : {}) }))
        : rows;
    const drawn = raw.map((d) => ({
      ...d,
      curve: fit.offScale > 0 ? clampToAxis(d.curve, ['loss'], top) : (floor(d.curve) as Drawn['curve']),
      tests: fit.offScale > 0 ? clampToAxis(d.tests, ['testLoss'], top) : (floor(d.tests) as Drawn['tests']),
    }));
    return { drawn, fit };
  }, [overlays, axis, percent, logScale]);
  const yTick = (v: number) => (percent ? `${Math.round(v * 100)}%` : logScale ? String(Number(v.toPrecision(1))) : valueTick(v));
  // Wide enough for the widest label (axisWidth.ts): the ticks, or the accuracy axis's ends.
  const yWidth = yAxisWidth((fit.ticks ?? [fit.domain[0], fit.domain[1]]).map(yTick), { marginLeft: margin.left, min: percent ? 50 : 44 });
  return (
    <>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart margin={margin}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="x" type="number" domain={xDomain} tick={tickStyle} tickFormatter={tick} allowDuplicatedCategory={false} />
          <YAxis tick={tickStyle} width={yWidth} scale={logScale ? 'log' : 'auto'} domain={fit.domain} ticks={fit.ticks} allowDataOverflow tickFormatter={yTick} />
          <Tooltip isAnimationActive={false} formatter={value} labelFormatter={(v) => `${AXES.find((a) => a.axis === axis)?.label.toLowerCase()} ${tick?.(Number(v))}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} iconType="plainline" />
          {drawn.map(({ record, color, curve }) => (
            <Line
              key={record.id}
              className={`compare-line compare-line-${record.id}`}
              data={curve}
              dataKey={metric}
              name={record.name}
              stroke={color}
              strokeWidth={1.5}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
            />
          ))}
          {drawn.map(({ record, color, tests }) =>
            record.evaluations.length > 0 ? (
              <Line
                key={`${record.id}-test`}
                data={tests}
                dataKey={percent ? 'testAccuracy' : 'testLoss'}
                name={`${record.name} (test)`}
                legendType="none"
                stroke={color}
                strokeWidth={0}
                dot={{ r: 3, fill: color, stroke: color }}
                activeDot={false}
                isAnimationActive={false}
              />
            ) : null,
          )}
          {fit.offScale > 0 &&
            drawn.map(({ record, curve }) => (
              <Line key={`${record.id}-off`} data={curve} dataKey="offScale" legendType="none" stroke="none" strokeWidth={0} dot={offScaleDot} activeDot={false} isAnimationActive={false} />
            ))}
          {drawn.flatMap(({ record, color }) => markerLines(settingsMarkers(record.settings), color, (step) => axisValue(record, axis, step)))}
        </LineChart>
      </ResponsiveContainer>
      {fit.offScale > 0 && <OffScaleNote count={fit.offScale} highest={fit.highest} testId={`compare-${metric}-off-scale`} />}
    </>
  );
});

export function RunsCompare({ actions }: { actions: RunsActions }) {
  const selected = useRuns((s) => s.selected);
  const records = useRuns((s) => s.records);
  const axis = useRuns((s) => s.axis);
  const logLoss = useRuns((s) => s.logLoss);
  const overlays = useMemo(() => selected.flatMap((id, i) => (records[id] ? [{ record: records[id], color: runColor(i) }] : [])), [selected, records]);
  // Like with like: the settings each run had at its best test accuracy.
  const rows = useMemo(() => compareSettings(overlays.map((o) => o.record)), [overlays]);

  return (
    <div className="runs-compare" data-testid="runs-compare" data-runs={overlays.length}>
      <div className="runs-axis" role="radiogroup" aria-label="Curves against">
        <span className="muted">Curves against</span>
        {AXES.map(({ axis: a, label }) => (
          <label key={a} className="toggle">
            <input type="radio" name="runs-axis" value={a} checked={axis === a} data-testid={`runs-axis-${a}`} onChange={() => actions.setAxis(a)} />
            {label}
          </label>
        ))}
      </div>
      <div className="runs-charts">
        <figure className="runs-chart" data-testid="compare-loss" data-lines={overlays.length} data-log={logLoss}>
          <figcaption>
            Training loss
            <button
              type="button"
              className={logLoss ? 'chip chip-on runs-log' : 'chip runs-log'}
              aria-pressed={logLoss}
              data-testid="compare-log-scale"
              title="A logarithmic loss axis shows a diverged run and the others at once"
              onClick={() => actions.setLogLoss(!logLoss)}
            >
              log scale
            </button>
          </figcaption>
          <CompareChart overlays={overlays} axis={axis} metric="loss" log={logLoss} />
        </figure>
        <figure className="runs-chart" data-testid="compare-accuracy" data-lines={overlays.length}>
          <figcaption>Accuracy (lines: batches, dots: test set)</figcaption>
          <CompareChart overlays={overlays} axis={axis} metric="accuracy" log={false} />
        </figure>
      </div>
      {overlays.length > 1 && (
        <div className="runs-diff-wrap">
          {rows.length === 0 ? (
            <p className="muted" data-testid="runs-diff-none">
              These runs have the same settings.
            </p>
          ) : (
            <table className="runs-diff" data-testid="runs-diff">
              <caption>Settings that differ, at each run's best test accuracy</caption>
              <thead>
                <tr>
                  <th scope="col">Setting</th>
                  {overlays.map(({ record, color }) => (
                    <th scope="col" key={record.id}>
                      <span className="runs-swatch" style={{ background: color }} aria-hidden="true" /> {record.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.key} data-testid="runs-diff-row" data-key={row.key}>
                    {/* The setting's name in words; its name in the config (as PyTorch code would spell it) on hover (issue 25). */}
                    <th scope="row" title={row.key}>
                      {row.label}
                    </th>
                    {row.values.map((value, i) => (
                      <td key={overlays[i].record.id}>{value}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {overlays.some(({ record }) => record.settings.length > 1) && <SettingsTimelines overlays={overlays} />}
    </div>
  );
}

/** Each run's settings timeline, on demand: every change with the step it applied from. */
function SettingsTimelines({ overlays }: { overlays: Overlay[] }) {
  return (
    <details className="runs-timelines" data-testid="runs-timelines">
      <summary>Settings timelines (the runs whose settings changed while they trained)</summary>
      {overlays
        .filter(({ record }) => record.settings.length > 1)
        .map(({ record, color }) => (
          <div key={record.id} className="runs-timeline" data-testid="runs-timeline" data-run-id={record.id}>
            <div className="runs-timeline-name">
              <span className="runs-swatch" style={{ background: color }} aria-hidden="true" /> {record.name}{' '}
              <span className="muted">
                ({changedText(record)}; best at step {record.bestStep?.toLocaleString('en-US') ?? '–'})
              </span>
            </div>
            <ol>
              {record.settings.map((entry) => (
                <li key={entry.step} className={settingsAtBest(record) === entry.config ? 'runs-timeline-best' : undefined}>
                  from step {entry.step.toLocaleString('en-US')}: {settingsText(entry.config)}
                  {settingsAtBest(record) === entry.config && <span className="muted"> · its best</span>}
                </li>
              ))}
            </ol>
          </div>
        ))}
    </details>
  );
}

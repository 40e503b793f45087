// The selected runs side by side: their loss and accuracy curves overlaid (against steps,
// epochs or training time; test evaluations as dots), and a table of the settings in which
// they differ. Drawn only when the selection or the axis changes, never while training.
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../../../shared/runs';
import { formatPercent, formatStepTick } from '../../lib/format';
import { curvePoints, differingSettings, testPoints, type Axis } from '../../lib/runCompare';
import type { RunsActions } from '../../state/runsStore';
import { useRuns } from './RunsPanel';

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

const CompareChart = memo(function CompareChart({ overlays, axis, metric }: { overlays: Overlay[]; axis: Axis; metric: 'loss' | 'accuracy' }) {
  const tick = AXES.find((a) => a.axis === axis)?.tick;
  const percent = metric === 'accuracy';
  const value = (v: unknown) => (percent ? formatPercent(Number(v), 1) : Number(v).toFixed(3));
  return (
    <ResponsiveContainer width="100%" height={200}>
      <LineChart margin={margin}>
        <CartesianGrid stroke="var(--grid)" vertical={false} />
        <XAxis dataKey="x" type="number" domain={xDomain} tick={tickStyle} tickFormatter={tick} allowDuplicatedCategory={false} />
        <YAxis tick={tickStyle} width={percent ? 50 : 44} domain={percent ? [0, 1] : [0, 'auto']} tickFormatter={(v: number) => (percent ? `${Math.round(v * 100)}%` : v.toFixed(1))} />
        <Tooltip isAnimationActive={false} formatter={value} labelFormatter={(v) => `${AXES.find((a) => a.axis === axis)?.label.toLowerCase()} ${tick?.(Number(v))}`} />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="plainline" />
        {overlays.map(({ record, color }) => (
          <Line
            key={record.id}
            className={`compare-line compare-line-${record.id}`}
            data={curvePoints(record, axis)}
            dataKey={metric}
            name={record.name}
            stroke={color}
            strokeWidth={1.5}
            dot={false}
            activeDot={false}
            isAnimationActive={false}
          />
        ))}
        {overlays.map(({ record, color }) =>
          record.evaluations.length > 0 ? (
            <Line
              key={`${record.id}-test`}
              data={testPoints(record, axis)}
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
      </LineChart>
    </ResponsiveContainer>
  );
});

export function RunsCompare({ actions }: { actions: RunsActions }) {
  const selected = useRuns((s) => s.selected);
  const records = useRuns((s) => s.records);
  const axis = useRuns((s) => s.axis);
  const overlays = useMemo(
    () => selected.flatMap((id, i) => (records[id] ? [{ record: records[id], color: runColor(i) }] : [])),
    [selected, records],
  );
  const rows = useMemo(() => differingSettings(overlays.map((o) => o.record.config)), [overlays]);

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
        <figure className="runs-chart" data-testid="compare-loss" data-lines={overlays.length}>
          <figcaption>Training loss</figcaption>
          <CompareChart overlays={overlays} axis={axis} metric="loss" />
        </figure>
        <figure className="runs-chart" data-testid="compare-accuracy" data-lines={overlays.length}>
          <figcaption>Accuracy (lines: batches, dots: test set)</figcaption>
          <CompareChart overlays={overlays} axis={axis} metric="accuracy" />
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
              <caption>Settings that differ</caption>
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
    </div>
  );
}

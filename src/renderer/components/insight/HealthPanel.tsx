// Training health (issue 18, item 5): per layer, over training, the gradient norm, the
// update/weight ratio (the ~1e-3 rule of thumb marked), the share of dead ReLUs, and the
// weights' and activations' histograms as small multiples over time. Exploding and vanishing
// show as lines leaving their band; a run that diverged says where, with Reset.
import { useMemo, type ReactNode } from 'react';
import { healthNotes, layerSeries } from '../../../shared/insight/healthNotes';
import { samplingRhythmText, UPDATE_RATIO_RULE, type Divergence, type Histogram } from '../../../shared/insight/health';
import { mostDead, noLearning, type NoLearning } from '../../../shared/insight/noLearning';
import { MNIST_CLASSES } from '../../../shared/mnist';
import { useActions, useUi } from '../../hooks/useUi';
import { openView } from '../../state/workspace';
import { Explain } from '../explain/Explain';
import { useInsight } from './context';
import { MINI_GAP, MINI_W, MINI_H, paintHistogramStrip } from './paint';
import { PaintedCanvas } from './PaintedCanvas';

/** Small histograms per strip: evenly spread over the run, the newest last. */
const STRIP = 8;

function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]);
}

function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return String(v ?? '–');
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-2) return v.toExponential(1);
  return a >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(2)));
}

const SW = 150;
const SH = 44;

/** A small line over the steps; `log` spreads decades (gradient norms, ratios), `band` marks a value. */
function Spark({
  steps,
  values,
  log,
  mark,
  range,
  diverged,
  testId,
  label,
  percent = false,
}: {
  steps: number[];
  values: (number | undefined)[];
  log: boolean;
  mark?: number;
  range?: [number, number];
  diverged: number | null;
  testId: string;
  label: string;
  percent?: boolean;
}) {
  const points = steps.map((s, i) => [s, values[i]] as const).filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]) && (!log || p[1] > 0));
  if (points.length === 0) return <span className="muted health-none">–</span>;
  const t = (v: number) => (log ? Math.log10(v) : v);
  let lo = range ? range[0] : Math.min(...points.map((p) => t(p[1])), mark !== undefined ? t(mark) : Infinity);
  let hi = range ? range[1] : Math.max(...points.map((p) => t(p[1])), mark !== undefined ? t(mark) : -Infinity);
  if (hi - lo < (log ? 1 : 1e-9)) {
    const mid = (hi + lo) / 2;
    lo = mid - (log ? 0.5 : 0.5);
    hi = mid + (log ? 0.5 : 0.5);
  }
  const first = steps[0];
  const last = Math.max(steps[steps.length - 1], diverged ?? 0);
  const x = (s: number) => 2 + ((s - first) / Math.max(1, last - first)) * (SW - 4);
  const y = (v: number) => 3 + (1 - (t(v) - lo) / (hi - lo)) * (SH - 6);
  const latest = points[points.length - 1][1];
  return (
    <span className="health-spark" data-testid={testId} data-values={points.map((p) => p[1].toPrecision(3)).join(',')} title={label}>
      <svg width={SW} height={SH} role="img" aria-label={label}>
        {mark !== undefined && <line x1={0} x2={SW} y1={y(mark)} y2={y(mark)} className="health-mark" />}
        {diverged !== null && <line x1={x(diverged)} x2={x(diverged)} y1={0} y2={SH} className="health-diverged-line" />}
        <polyline points={points.map(([s, v]) => `${x(s).toFixed(1)},${y(v).toFixed(1)}`).join(' ')} className="health-line" />
        {points.length === 1 && <circle cx={x(points[0][0])} cy={y(points[0][1])} r={2} className="health-dot" />}
      </svg>
      <span className="health-latest">{percent ? `${Math.round(latest * 100)} %` : fmt(latest)}</span>
    </span>
  );
}

function Cell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="health-cell">
      <span className="health-cell-title">{title}</span>
      {children}
    </div>
  );
}

function Strip({ items, testId }: { items: { step: number; h: Histogram }[]; testId: string }) {
  const shown = spread(items, STRIP);
  if (shown.length === 0) return <span className="muted health-none">–</span>;
  const width = shown.length * (MINI_W + MINI_GAP) - MINI_GAP;
  const dark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  const h0 = shown[0].h;
  return (
    <span className="health-strip" data-testid={testId} data-count={shown.length}>
      <PaintedCanvas
        width={width}
        height={MINI_H}
        className="health-strip-canvas"
        title={`${shown.length} histograms, steps ${shown.map((s) => s.step).join(', ')}; bins fixed from ${fmt(h0.lo)} to ${fmt(h0.hi)}, red: outside that range`}
        paint={(rgba) =>
          paintHistogramStrip(
            shown.map((s) => s.h),
            rgba,
            width,
            { bar: dark ? [165, 180, 252] : [79, 70, 229], overflow: [220, 38, 38], background: dark ? [30, 36, 50] : [241, 243, 247] },
          )
        }
        deps={[shown.map((s) => s.step).join(','), dark]}
      />
      <span className="health-strip-steps muted">
        <span>{shown[0].step}</span>
        <span>
          {fmt(h0.lo)}…{fmt(h0.hi)}
        </span>
        <span>{shown[shown.length - 1].step}</span>
      </span>
    </span>
  );
}

export function DivergenceBox({ diverged }: { diverged: Divergence }) {
  const actions = useActions();
  const status = useUi((s) => s.status);
  return (
    <div className="health-diverged" role="alert" data-testid="divergence" data-step={diverged.step} data-layer={diverged.layer ?? ''}>
      <strong>
        Training stopped at step {diverged.step}: the loss {Number.isFinite(diverged.loss) ? `exploded to ${fmt(diverged.loss)}` : `became ${diverged.loss}`}, so the learning rate is too large for
        this model.
      </strong>{' '}
      {diverged.layer ? (
        <>
          It started in <b>{diverged.layer}</b>: {diverged.reason}
          {diverged.settingsChangedAt ? `, after the settings changed at step ${diverged.settingsChangedAt}` : ''}.
        </>
      ) : (
        'No layer stands out as where it started.'
      )}{' '}
      The weights are those of step {diverged.step - 1}. Lower the learning rate and train on, or start afresh.
      <button type="button" className="insight-button health-reset" data-testid="divergence-reset" onClick={() => void actions.reset()} disabled={status === 'training'}>
        Reset
      </button>
      {diverged.detail && (
        <details className="health-details" data-testid="divergence-details">
          <summary>details</summary>
          {diverged.detail}
        </details>
      )}
    </div>
  );
}

export function HealthPanel() {
  const health = useInsight((s) => s.health);
  const runId = useUi((s) => s.run.id);
  const series = useMemo(() => layerSeries(health.samples), [health.samples]);
  const diverged = health.run === runId ? health.diverged : null;
  return (
    <section className="panel health" data-testid="health-panel" data-samples={health.samples.length}>
      <header className="panel-head">
        <div className="panel-title">
          <h2>Training health</h2>
          <Explain title="Training health" testId="explain-health">
            <p>
              <b>Gradient norm</b>: how large the gradient of each layer’s parameters is. Lines that climb by ten times and more are exploding gradients (the learning rate is too large); lines that
              sink towards zero are vanishing ones (the layer stops learning).
            </p>
            <p>
              <b>Update / weight</b>: how much one step changes the layer’s weights, relative to their size. Around 1e-3 (the dashed line) is the rule of thumb for a healthy rate; much more and
              training is unstable, much less and it crawls.
            </p>
            <p>
              <b>Dead ReLUs</b>: the share of units that gave 0 for every digit of the measured batch. Such a unit passes no gradient for that batch; one that gives 0 for every digit there is (a dead
              ReLU) never learns again. One batch is a sample: a unit counted here may still fire for other digits.
            </p>
            <p>
              <b>Histograms</b> of the weights and of each layer’s output, a few over the run, on bins fixed by the first one: watch them spread, shrink or pile up at the edges (red: outside the first
              range).
            </p>
          </Explain>
        </div>
      </header>
      <p className="panel-lead">Per layer, over training: {samplingRhythmText()}.</p>
      {diverged && <DivergenceBox diverged={diverged} />}
      {series.length === 0 ? (
        <p className="muted insight-empty">Train, or take a step, to see how each layer’s training is doing.</p>
      ) : (
        <div className="health-table" role="list" aria-label="Training health per layer">
          {series.map((s) => {
            const notes = healthNotes(s);
            const d = diverged?.step ?? null;
            const hasGrad = s.gradNorm.some((v) => v !== undefined);
            const hasDead = s.dead.some((v) => v !== undefined);
            return (
              <div className="health-row" role="listitem" key={s.layer} data-testid="health-layer" data-layer={s.layer}>
                <div className="health-layer">
                  <b>{s.layer}</b>
                </div>
                <div className="health-cells">
                  {hasGrad && (
                    <Cell title="gradient norm (log)">
                      <Spark steps={s.steps} values={s.gradNorm} log diverged={d} testId="health-gradnorm" label={`${s.layer}: gradient norm`} />
                    </Cell>
                  )}
                  {hasGrad && (
                    <Cell title="update / weight (log; dashed 1e-3)">
                      <Spark steps={s.steps} values={s.updateRatio} log mark={UPDATE_RATIO_RULE} diverged={d} testId="health-ratio" label={`${s.layer}: update / weight ratio (dashed: 1e-3)`} />
                    </Cell>
                  )}
                  {hasDead && (
                    <Cell title="dead ReLUs (0–100 %)">
                      <Spark steps={s.steps} values={s.dead} log={false} range={[0, 1]} percent diverged={d} testId="health-dead" label={`${s.layer}: share of dead units`} />
                    </Cell>
                  )}
                  {s.weights.length > 0 && (
                    <Cell title="weights over time">
                      <Strip items={s.weights} testId="health-weights" />
                    </Cell>
                  )}
                  {s.activations.length > 0 && (
                    <Cell title="outputs over time">
                      <Strip items={s.activations} testId="health-activations" />
                    </Cell>
                  )}
                </div>
                {notes.length > 0 && (
                  <div className="health-notes">
                    {notes.map((n) => (
                      <span key={n} className="health-note" data-testid="health-note">
                        {n}
                      </span>
                    ))}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}

/** At the top of the page while the run stands diverged (where, and Reset), or while it learns nothing; the details are in the health panel. */
export function DivergenceBanner() {
  const health = useInsight((s) => s.health);
  const runId = useUi((s) => s.run.id);
  const status = useUi((s) => s.status);
  const actions = useActions();
  const d = health.run === runId && status === 'error' ? health.diverged : null;
  if (!d) return <NoLearningBanner />;
  return (
    <div className="divergence-banner" role="status" data-testid="divergence-banner">
      <span>
        Diverged at step <b>{d.step}</b>
        {d.layer ? (
          <>
            , starting in <b>{d.layer}</b>
          </>
        ) : null}
        .
      </span>
      <button type="button" className="insight-button health-reset" onClick={() => void actions.reset()}>
        Reset
      </button>
      <HealthLink />
    </div>
  );
}

function HealthLink() {
  return (
    <button
      type="button"
      className="insight-button"
      data-testid="banner-health-link"
      onClick={() => {
        openView('health');
        // Where the panels are on one page, bring it into view.
        requestAnimationFrame(() => document.querySelector('[data-testid="health-panel"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
      }}
    >
      Training health →
    </button>
  );
}

/** What the page knows of the run's learning, for noLearning(): the curves' moving averages, the last scoring, the dead units. */
function useNoLearning(): NoLearning | null {
  const curvesVersion = useUi((s) => s.curvesVersion);
  const curves = useUi((s) => s.curves);
  // The curves are appended in place: a fresh handle per curvesVersion says when.
  const grown = useMemo(() => ({ curves, version: curvesVersion }), [curves, curvesVersion]);
  const test = useUi((s) => s.lastEvaluation);
  const runId = useUi((s) => s.run.id);
  const health = useInsight((s) => s.health);
  const latest = health.run === runId ? health.samples[health.samples.length - 1] : undefined;
  return useMemo(
    () =>
      noLearning({
        classes: MNIST_CLASSES,
        steps: grown.curves.step.view(),
        accuracyEma: grown.curves.accuracyEma.view(),
        lossEma: grown.curves.lossEma.view(),
        test: test ? { step: test.step, accuracy: test.testAccuracy } : null,
        dead: mostDead(latest),
      }),
    [grown, test, latest],
  );
}

/** "It is not learning" (issue 25): what happened, the likely cause, what to try, and the way to the health view. */
export function NoLearningBanner() {
  const stuck = useNoLearning();
  const status = useUi((s) => s.status);
  const optimizer = useUi((s) => s.config.optimizer);
  const actions = useActions();
  if (!stuck || status === 'error') return null;
  const guess = `${Math.round(100 / MNIST_CLASSES)} %`;
  const shown =
    stuck.testAccuracy !== null
      ? `it gets ${(stuck.testAccuracy * 100).toFixed(1)} % of the test digits right`
      : stuck.accuracy !== null
        ? `it gets about ${Math.round(stuck.accuracy * 100)} % of its batches right`
        : 'it is guessing';
  return (
    <div className="divergence-banner no-learning-banner" role="status" data-testid="no-learning-banner" data-step={stuck.step}>
      <span>
        <b>It is not learning.</b> After {stuck.step.toLocaleString('en-US')} steps {shown}: no better than guessing ({guess} for {MNIST_CLASSES} digits)
        {stuck.loss !== null ? `, and the loss sits at ${stuck.loss.toFixed(2)} (a blind guess gives ln ${MNIST_CLASSES} = ${Math.log(MNIST_CLASSES).toFixed(2)})` : ''}.{' '}
        {stuck.dead ? (
          <>
            Likely cause: the learning rate ({optimizer.hyper.lr} with {optimizer.type}) is too large: early steps pushed {Math.round(stuck.dead.fraction * 100)} % of the units of{' '}
            <b>{stuck.dead.layer}</b> to output 0 for every digit, and such a unit passes no gradient, so it cannot recover.
          </>
        ) : (
          <>
            Likely cause: a learning rate ({optimizer.hyper.lr} with {optimizer.type}) too large for the weights to settle, or too small to move them.
          </>
        )}{' '}
        Try: Reset, then a smaller learning rate (Adam with 0.001 trains every preset).
      </span>
      <button type="button" className="insight-button health-reset" data-testid="no-learning-reset" disabled={status === 'training'} onClick={() => void actions.reset()}>
        Reset
      </button>
      <HealthLink />
    </div>
  );
}

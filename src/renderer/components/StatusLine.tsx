// What the trainer is doing, how far it got and how fast. The test accuracy is the evaluation
// every panel shows (useShownEvaluation), with the step it was measured at.
//
// Busy is never "Idle" (issue 24): the requests the learner waits for are listed beside the
// status ("queued" while training runs, since they wait for the trainer between steps;
// "working…" otherwise), a burst of steps with its progress, and the scoring of the test set
// after Stop. When no step has come for a while during training, samples/s says the trainer is
// waiting for the CPU instead of showing a rate averaged over the stall.
import { useEffect, useRef, useState } from 'react';
import { useShownEvaluation } from '../hooks/useShownEvaluation';
import { useUi } from '../hooks/useUi';
import { formatInt, formatPercent, formatRate } from '../lib/format';
import { shownStatus } from '../state/store';
import { busyItems as listBusy, nextShowAt, usePending, type BusyItem } from '../state/busy';

/** No step for this long while training: the trainer is waiting for the CPU. */
export const STARVED_MS = 3000;

/** Re-renders every `ms` while `on`, and once at `at` (a performance.now() time) when given. */
function useTick(on: boolean, ms: number, at: number | null): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(performance.now()), ms);
    return () => clearInterval(timer);
  }, [on, ms]);
  useEffect(() => {
    if (at === null) return;
    const timer = setTimeout(() => setNow(performance.now()), Math.max(0, at - performance.now()) + 1);
    return () => clearTimeout(timer);
  }, [at]);
  return now;
}

/**
 * The requests the learner is waiting for, and the scoring after Stop; null when there are none.
 * The long ones have a Cancel: the trainer skips them if they have not started, or stops them at
 * their next checkpoint, and the panel stops waiting.
 */
function BusyList({ items }: { items: BusyItem[] }) {
  if (items.length === 0) return null;
  return (
    <span className="status-busy" data-testid="busy" role="status">
      {items.map((item, i) => (
        <span className="busy-item" data-testid="busy-item" key={item.key}>
          {i > 0 && <span aria-hidden="true">{' · '}</span>}
          <span className="busy-text" title={item.text}>
            {item.text}
          </span>
          {item.cancel && (
            <button
              type="button"
              className="busy-cancel"
              data-testid="busy-cancel"
              title="Call it off: the trainer drops it (or stops it at its next checkpoint) and the panel stops waiting"
              onClick={item.cancel}
            >
              Cancel
            </button>
          )}
        </span>
      ))}
    </span>
  );
}

const LABELS = { idle: 'Idle', training: 'Training', stopping: 'Stopping…', error: 'Error' } as const;

export function StatusLine() {
  const connection = useUi((s) => s.connection);
  // 'stopping' from the Stop press until the trainer has stopped (issue 25).
  const status = useUi(shownStatus);
  const error = useUi((s) => s.error);
  const step = useUi((s) => s.step);
  const epoch = useUi((s) => s.epoch);
  const rate = useUi((s) => s.samplesPerSecond);
  const epochs = useUi((s) => s.config.epochs);
  const evaluation = useShownEvaluation();
  const lastEvaluationStep = useUi((s) => s.lastEvaluation?.step ?? null);
  const pending = usePending();
  const training = status === 'training';

  // When the last step came (a stall while training is the CPU going elsewhere).
  const lastStepAt = useRef(performance.now());
  const seenStep = useRef(step);
  if (seenStep.current !== step) {
    seenStep.current = step;
    lastStepAt.current = performance.now();
  }
  const connecting = connection === 'connecting';
  // Every second for the waited-for seconds; and the moment a request has waited long enough to be listed.
  const now = useTick(training || pending.length > 0 || connecting, 1000, nextShowAt(pending, performance.now()));
  const starved = training && now - lastStepAt.current > STARVED_MS;
  const startedAt = useRef(performance.now());

  // After Stop the trainer scores the test set at the stopped step: busy until that evaluation arrives.
  const scoring = connection === 'ready' && status === 'idle' && step > 0 && lastEvaluationStep !== step && !pending.some((p) => p.method === 'evaluate');
  const busyItems = listBusy(pending, { now, step, training, scoring });
  const busy = busyItems.length > 0;

  const shown = connection === 'ready' ? status : connection;
  const label = connection === 'ready' ? (status === 'idle' && busy ? 'Working…' : LABELS[status]) : connecting ? 'Starting…' : 'Disconnected';
  const preparing = connecting
    ? `Starting the trainer: its worker, the compute kernels and MNIST (60,000 training and 10,000 test images)${
        now - startedAt.current >= 2000 ? ` · ${Math.floor((now - startedAt.current) / 1000)} s` : ''
      }`
    : null;
  // With a target, the bar shows the whole run; until stopped, the current epoch.
  const progress = epochs ? Math.min(1, epoch / epochs) : epoch - Math.floor(epoch);
  const progressLabel = epochs ? `${epoch.toFixed(2)} / ${epochs} epochs` : `epoch ${Math.floor(epoch) + 1} · ${formatPercent(progress, 0)}`;

  return (
    <div className="status-line">
      <span className={`status-pill status-${shown}${busy ? ' status-busy-pill' : ''}`} data-testid="status" data-status={shown} data-busy={busy}>
        <span className="status-dot" aria-hidden="true" />
        {label}
      </span>
      {preparing && (
        <span className="status-busy" data-testid="preparing">
          {preparing}
        </span>
      )}
      <BusyList items={busyItems} />
      {status === 'error' && error && (
        <span className="status-error" data-testid="status-error" role="alert">
          {error}
        </span>
      )}
      <dl className="stats">
        <div>
          <dt>Step</dt>
          <dd data-testid="step" data-step={step}>
            {formatInt(step)}
          </dd>
        </div>
        <div>
          <dt>Epoch</dt>
          <dd data-testid="epoch">{epoch.toFixed(2)}</dd>
        </div>
        <div>
          <dt title="Training images per second over the last few seconds">Samples/s</dt>
          <dd data-testid="samples-per-second" data-starved={starved}>
            {training ? starved ? <span className="stat-starved">waiting for the CPU</span> : formatRate(rate) : '–'}
          </dd>
        </div>
        <div>
          <dt>Test accuracy</dt>
          <dd className="stat-with-note">
            <span data-testid="test-accuracy" data-step={evaluation?.step ?? ''}>
              {evaluation ? formatPercent(evaluation.testAccuracy, 2) : '–'}
            </span>
            {evaluation && (
              <small className="stat-note" data-testid="test-accuracy-step">
                at step {formatInt(evaluation.step)}
              </small>
            )}
          </dd>
        </div>
      </dl>
      <div className="progress" title={progressLabel}>
        <div className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)} data-testid="progress">
          <div className="progress-fill" style={{ width: `${(progress * 100).toFixed(1)}%` }} />
        </div>
        <span className="progress-label">{progressLabel}</span>
      </div>
    </div>
  );
}

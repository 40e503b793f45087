// What the trainer is doing, how far it got and how fast. The test accuracy is the evaluation
// every panel shows (useShownEvaluation), with the step it was measured at.
import { useShownEvaluation } from '../hooks/useShownEvaluation';
import { useUi } from '../hooks/useUi';
import { formatInt, formatPercent, formatRate } from '../lib/format';
import { shownStatus } from '../state/store';

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

  const shown = connection === 'ready' ? status : connection;
  const label = connection === 'ready' ? LABELS[status] : connection === 'connecting' ? 'Connecting…' : 'Disconnected';
  // With a target, the bar shows the whole run; until stopped, the current epoch.
  const progress = epochs ? Math.min(1, epoch / epochs) : epoch - Math.floor(epoch);
  const progressLabel = epochs
    ? `${epoch.toFixed(2)} / ${epochs} epochs`
    : `epoch ${Math.floor(epoch) + 1} · ${formatPercent(progress, 0)}`;

  return (
    <div className="status-line">
      <span className={`status-pill status-${shown}`} data-testid="status" data-status={shown}>
        <span className="status-dot" aria-hidden="true" />
        {label}
      </span>
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
          <dd data-testid="samples-per-second">{status === 'training' ? formatRate(rate) : '–'}</dd>
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
        <div
          className="progress-track"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(progress * 100)}
          data-testid="progress"
        >
          <div className="progress-fill" style={{ width: `${(progress * 100).toFixed(1)}%` }} />
        </div>
        <span className="progress-label">{progressLabel}</span>
      </div>
    </div>
  );
}

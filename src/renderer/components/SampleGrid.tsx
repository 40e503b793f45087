// Test images with the model's guess and confidence, refreshed at each evaluation. Mistakes get a red frame and the true label.
import { EVALUATION_INTERVAL_MS, EVALUATION_PHASE_MS, useThrottledUi } from '../hooks/useThrottledUi';
import { useActions, useUi } from '../hooks/useUi';
import { formatInt, formatPercent } from '../lib/format';
import { DigitCanvas } from './DigitCanvas';

export function SampleGrid() {
  const actions = useActions();
  const evaluation = useThrottledUi((s) => s.lastEvaluation, EVALUATION_INTERVAL_MS, EVALUATION_PHASE_MS);
  const onlyMistakes = useUi((s) => s.onlyMistakes);
  const selectedSource = useUi((s) => s.selected?.source);
  const samples = evaluation?.samples ?? [];
  const mistakes = samples.filter((s) => s.predicted !== s.label).length;
  const shown = onlyMistakes ? samples.filter((s) => s.predicted !== s.label) : samples;

  return (
    <section
      className="panel samples"
      data-testid="sample-grid"
      data-sample-count={samples.length}
      data-mistake-count={mistakes}
      data-evaluation-step={evaluation?.step ?? ''}
    >
      <header className="panel-head">
        <h2>Sample digits</h2>
        {evaluation && <span className="panel-value panel-value-lead">at step {formatInt(evaluation.step)}</span>}
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="only-mistakes"
            checked={onlyMistakes}
            onChange={(e) => actions.setOnlyMistakes(e.target.checked)}
          />
          only mistakes ({mistakes})
        </label>
      </header>
      {samples.length === 0 ? (
        <div className="panel-empty">Test images and the model's guesses appear at the first evaluation.</div>
      ) : shown.length === 0 ? (
        <div className="panel-empty">No mistakes among these {samples.length} samples.</div>
      ) : (
        <div className="sample-grid">
          {shown.map((s) => {
            const wrong = s.predicted !== s.label;
            const source = `test image #${s.index}`;
            return (
              <button
                type="button"
                key={s.index}
                className={`sample ${wrong ? 'sample-wrong' : ''} ${selectedSource === source ? 'sample-selected' : ''}`}
                data-testid="sample"
                data-correct={wrong ? 'false' : 'true'}
                title={`${source}: guessed ${s.predicted} (${formatPercent(s.confidence, 0)}), true ${s.label}`}
                onClick={() => void actions.selectSample(s)}
              >
                <DigitCanvas pixels={s.pixels} />
                <span className="sample-guess" data-testid="sample-guess">
                  {s.predicted}
                  <small>{formatPercent(s.confidence, 0)}</small>
                </span>
                {wrong && (
                  <span className="sample-truth" data-testid="sample-truth">
                    true {s.label}
                  </span>
                )}
              </button>
            );
          })}
        </div>
      )}
    </section>
  );
}

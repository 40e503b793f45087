// Test images with the model's guess and confidence, refreshed at each evaluation. Mistakes get a red frame and the true label.
import { firstEvaluationText } from '../../shared/evaluationRhythm';
import { useShownEvaluation } from '../hooks/useShownEvaluation';
import { useActions, useUi } from '../hooks/useUi';
import { formatPercent } from '../lib/format';
import { DigitCanvas } from './DigitCanvas';
import { PanelHead } from './explain/PanelHead';
import { EvaluationAge } from './EvaluationAge';
import { ALL_IMAGES } from '../state/inspectStore';
import { inspectActions } from '../state/inspectActions';

export function SampleGrid() {
  const actions = useActions();
  const evaluation = useShownEvaluation();
  const evalEvery = useUi((s) => s.config.evalEvery);
  const onlyMistakes = useUi((s) => s.onlyMistakes);
  const selectedSource = useUi((s) => s.selected?.source);
  const samples = evaluation?.samples ?? [];
  const mistakes = samples.filter((s) => s.predicted !== s.label).length;
  const shown = onlyMistakes ? samples.filter((s) => s.predicted !== s.label) : samples;

  return (
    <section className="panel samples" data-testid="sample-grid" data-sample-count={samples.length} data-mistake-count={mistakes} data-evaluation-step={evaluation?.step ?? ''}>
      <PanelHead title="Sample digits" topic="samples">
        {evaluation && <EvaluationAge step={evaluation.step} testId="samples-step" />}
        <label className="toggle">
          <input type="checkbox" data-testid="only-mistakes" checked={onlyMistakes} onChange={(e) => actions.setOnlyMistakes(e.target.checked)} />
          only mistakes ({mistakes})
        </label>
        {/* All 10 000, page by page, with filters (components/inspect/TestGallery.tsx). */}
        <button type="button" className="link-btn" data-testid="browse-test-set" onClick={() => void inspectActions().openGallery(ALL_IMAGES, 'index')}>
          browse all
        </button>
      </PanelHead>
      {samples.length === 0 ? (
        <div className="panel-empty" data-testid="samples-empty">
          Test images and the network’s guesses appear here. {firstEvaluationText(evalEvery)}
        </div>
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

// Which digits the model mixes up: rows are true labels, columns its guesses,
// shaded by the share of each row (so rare mistakes still show), with counts.
import { firstEvaluationText } from '../../shared/evaluationRhythm';
import { MNIST_CLASSES } from '../../shared/mnist';
import { useShownEvaluation } from '../hooks/useShownEvaluation';
import { useUi } from '../hooks/useUi';
import { formatInt, formatPercent } from '../lib/format';
import { EvaluationAge } from './EvaluationAge';
import { PanelHead } from './explain/PanelHead';
import { inspectActions } from '../state/inspectActions';
import { useCellFocus } from './inspect/useCellFocus';

const DIGITS = Array.from({ length: MNIST_CLASSES }, (_, i) => i);

export function ConfusionMatrix() {
  const evaluation = useShownEvaluation();
  const evalEvery = useUi((s) => s.config.evalEvery);
  const cellFocus = useCellFocus(evaluation?.confusion ?? [], MNIST_CLASSES);
  if (!evaluation || evaluation.confusion.length !== MNIST_CLASSES * MNIST_CLASSES) {
    return (
      <section className="panel confusion" data-testid="confusion-matrix" data-total="0">
        <PanelHead title="Confusion matrix" topic="confusion" />
        <div className="panel-empty" data-testid="confusion-empty">
          The confusion matrix of the whole test set appears here. {firstEvaluationText(evalEvery)}
        </div>
      </section>
    );
  }
  const { confusion, perClassAccuracy } = evaluation;
  const total = confusion.reduce((a, b) => a + b, 0);
  const rowTotals = DIGITS.map((r) => DIGITS.reduce((sum, c) => sum + confusion[r * MNIST_CLASSES + c], 0));

  return (
    <section className="panel confusion" data-testid="confusion-matrix" data-total={total}>
      <PanelHead title="Confusion matrix" topic="confusion">
        <span className="panel-value">
          {formatInt(total)} test images · {formatPercent(evaluation.testAccuracy, 2)} right · <EvaluationAge step={evaluation.step} testId="confusion-step" bare />
        </span>
      </PanelHead>
      <div className="cm" role="table" aria-label="confusion matrix: rows true label, columns predicted; arrow keys move between cells, Enter opens one" onKeyDown={cellFocus.onKeyDown}>
        <div className="cm-corner" role="columnheader">
          true ↓ guess →
        </div>
        {DIGITS.map((c) => (
          <div className="cm-head" role="columnheader" key={`h${c}`}>
            {c}
          </div>
        ))}
        <div className="cm-head cm-acc-head" role="columnheader">
          accuracy
        </div>
        {DIGITS.map((r) => (
          <div className="cm-row" role="row" key={r}>
            <div className="cm-head" role="rowheader">
              {r}
            </div>
            {DIGITS.map((c) => {
              const count = confusion[r * MNIST_CLASSES + c];
              const share = rowTotals[r] > 0 ? count / rowTotals[r] : 0;
              // Mistakes are rare; a square root lifts them into view.
              const shade = r === c ? share : Math.sqrt(share);
              const bg = r === c ? `rgba(37, 99, 235, ${0.08 + 0.85 * shade})` : `rgba(220, 38, 38, ${count > 0 ? 0.06 + 0.9 * shade : 0})`;
              return (
                <div
                  className={`cm-cell ${shade > 0.55 ? 'cm-dark' : ''}`}
                  role="cell"
                  key={c}
                  data-testid="confusion-cell"
                  data-count={count}
                  title={`true ${r}, guessed ${c}: ${count}`}
                  style={{ background: bg }}
                >
                  {count > 0 && (
                    // Opens the gallery on exactly this cell's images, most confident first (components/inspect/TestGallery.tsx).
                    <button
                      type="button"
                      className="cm-open"
                      data-testid="confusion-open"
                      data-cell={r * MNIST_CLASSES + c}
                      tabIndex={cellFocus.tabIndexOf(r * MNIST_CLASSES + c)}
                      onFocus={() => cellFocus.setCursor(r * MNIST_CLASSES + c)}
                      aria-label={`show the ${count} test images: true ${r}, guessed ${c}`}
                      onClick={() => void inspectActions().openGallery({ label: r, predicted: c, correct: null }, 'confidence')}
                    >
                      {count}
                    </button>
                  )}
                </div>
              );
            })}
            <div className="cm-acc" role="cell" data-testid="class-accuracy">
              <span className="cm-acc-bar" style={{ width: `${(perClassAccuracy[r] ?? 0) * 100}%` }} />
              <span className="cm-acc-text">{formatPercent(perClassAccuracy[r] ?? NaN, 1)}</span>
            </div>
          </div>
        ))}
      </div>
      <p className="cm-hint">
        Click a cell to see its images.{' '}
        <button type="button" className="link-btn" data-testid="confusion-wrong" onClick={() => void inspectActions().openGallery({ label: null, predicted: null, correct: false }, 'confidence')}>
          Most confidently wrong
        </button>
      </p>
    </section>
  );
}

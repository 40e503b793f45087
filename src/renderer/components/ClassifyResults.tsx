// One card per classified image: what the model saw (28×28, scaled up), its
// answer and the probabilities; or, for a file that could not be used, why. When the
// prepared input looks unlike a handwritten digit (shared/images/digitCheck.ts), or unlike the digits the
// network learned from (shared/insight/outOfDistribution.ts), the card says so beside the answer, and the
// answer is shown as the guess it is.
import { useMemo } from 'react';
import { inputDoubt, type InputDoubt } from '../../shared/insight/outOfDistribution';
import type { DigitResult } from '../images/classifyImage';
import { DigitCanvas } from './DigitCanvas';
import { KeepDigit } from './experiments/KeepDigit';
import './classify.css';

export type ClassifyItem =
  { id: number; name: string; state: 'working' } | { id: number; name: string; state: 'done'; result: DigitResult } | { id: number; name: string; state: 'error'; error: string };

export function ProbabilityBars({ probabilities, predicted }: { probabilities: number[]; predicted: number }) {
  return (
    <div className="prob-bars classify-bars">
      {probabilities.map((p, digit) => (
        <div className={`prob ${digit === predicted ? 'prob-guess' : ''}`} key={digit} data-testid={`prob-${digit}`}>
          <span className="prob-digit">{digit}</span>
          <span className="prob-track">
            <span className="prob-bar" style={{ width: `${(p * 100).toFixed(1)}%` }} />
          </span>
          <span className="prob-value">{(p * 100).toFixed(0)}%</span>
        </div>
      ))}
    </div>
  );
}

/** What is off about an input, beside the answer. */
export function DigitConcern({ check }: { check: InputDoubt }) {
  return (
    <p className="digit-concern" role="note" data-testid="digit-concern" data-concern={check.concern}>
      <span aria-hidden="true">⚠ </span>
      {check.message}
    </p>
  );
}

export function DigitResultView({ result }: { result: DigitResult }) {
  const { predicted, probabilities } = result.classification;
  const check = useMemo(() => inputDoubt(result.input, result.classification), [result.input, result.classification]);
  return (
    <div className={check ? 'classify-result-body classify-doubtful' : 'classify-result-body'}>
      <div className="classify-answer">
        <DigitCanvas pixels={result.input} scale={1} className="classify-preview" />
        <span className="classify-digit" data-testid="classify-predicted" title={check ? 'the network’s guess (the input does not look like a digit it has seen)' : 'predicted digit'}>
          {predicted}
          {check && <small className="classify-guess-tag">guess</small>}
        </span>
      </div>
      <ProbabilityBars probabilities={probabilities} predicted={predicted} />
      {check && <DigitConcern check={check} />}
    </div>
  );
}

export function ClassifyResults({ items, onSelect }: { items: ClassifyItem[]; onSelect?: (result: DigitResult, name: string) => void }) {
  if (items.length === 0) return null;
  return (
    <ol className="classify-list" data-testid="classify-results">
      {items.map((item) => (
        <li
          key={item.id}
          className={`classify-item classify-${item.state}`}
          data-testid="classify-result"
          data-file={item.name}
          data-state={item.state}
          data-predicted={item.state === 'done' ? item.result.classification.predicted : ''}
        >
          <div className="classify-name" title={item.name}>
            {item.name}
          </div>
          {item.state === 'working' && <div className="muted">classifying…</div>}
          {item.state === 'error' && (
            <div className="classify-error" role="alert" data-testid="classify-error">
              {item.error}
            </div>
          )}
          {item.state === 'done' && (
            <button type="button" className="classify-select" onClick={() => onSelect?.(item.result, item.name)} title="Show in the network view" disabled={!onSelect}>
              <DigitResultView result={item.result} />
            </button>
          )}
          {item.state === 'done' && <KeepDigit pixels={item.result.input} predicted={item.result.classification.predicted} />}
        </li>
      ))}
    </ol>
  );
}

// "My digits": the learner's own handwriting, labelled in the draw pad or the drop zone and kept.
// Shows how many the model gets right (beside the test accuracy) and which it gets wrong,
// mixes them into training on request (fine-tuning, with the share of each batch the learner
// sets), and exports or imports the set as a folder of PNGs plus labels.csv.
import { createContext, useContext, useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { TRAIN_SETTINGS } from '../../../shared/trainSettings';
import { useActions, useUi } from '../../hooks/useUi';
import { formatInt, formatPercent } from '../../lib/format';
import { myDigitsStore, type MyDigitsActions, type MyDigitsState } from '../../state/myDigitsStore';
import { DigitCanvas } from '../DigitCanvas';
import { NumberField } from '../NumberField';
import { MessageBox } from '../MessageBox';
import './experiments.css';

export const MyDigitsContext = createContext<MyDigitsActions | null>(null);

export function useMyDigitsActions(): MyDigitsActions {
  const actions = useContext(MyDigitsContext);
  if (!actions) throw new Error('useMyDigitsActions() outside <MyDigitsContext.Provider>');
  return actions;
}

function useMyDigits<T>(selector: (state: MyDigitsState) => T): T {
  return useStore(myDigitsStore, selector);
}

/** The set is measured on the weights of the current step: once training pauses at a new step, measure again. */
function useMeasureWhenIdle(actions: MyDigitsActions, count: number): void {
  const step = useUi((s) => s.step);
  const idle = useUi((s) => s.status === 'idle' && s.connection === 'ready');
  const measuredAt = useMyDigits((s) => s.result?.step ?? null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!idle || count === 0 || measuredAt === step) return;
    timer.current = setTimeout(() => void actions.measure(), 600);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [idle, step, measuredAt, count, actions]);
}

export function MyDigitsPanel() {
  const actions = useMyDigitsActions();
  const training = useActions();
  const set = useMyDigits((s) => s.set);
  const result = useMyDigits((s) => s.result);
  const message = useMyDigits((s) => s.message);
  const draftShare = useUi((s) => s.draft.mixMyDigits);
  const testAccuracy = useUi((s) => s.lastEvaluation?.testAccuracy);
  const folderInput = useRef<HTMLInputElement | null>(null);
  const digits = set?.digits ?? [];
  useMeasureWhenIdle(actions, digits.length);

  const predictedById = new Map(result ? result.ids.map((id, i) => [id, result.predicted[i]]) : []);
  const measured = result !== null && result.ids.length === digits.length && digits.every((d) => predictedById.has(d.id));
  const share = TRAIN_SETTINGS.mixMyDigits;

  return (
    <section className="panel my-digits" data-testid="my-digits" data-count={digits.length}>
      <header className="panel-head">
        <h2>My digits</h2>
        <span className="panel-value">{digits.length > 0 ? `${digits.length} kept` : ''}</span>
      </header>
      {set?.problem && (
        <p className="classify-error" role="alert">
          {set.problem}
        </p>
      )}
      {digits.length === 0 ? (
        <p className="muted classify-hint">Draw or drop a digit, then press the digit it shows under its result to keep it here. The model is then measured on your handwriting.</p>
      ) : (
        <>
          <p className="my-digits-accuracy" data-testid="my-digits-accuracy" data-step={measured ? result.step : ''} data-correct={measured ? result.correct : ''} data-total={digits.length}>
            {measured ? (
              <>
                <strong>
                  {result.correct} of {digits.length}
                </strong>{' '}
                right ({formatPercent(result.correct / digits.length, 0)}) at step {formatInt(result.step)}
                {testAccuracy !== undefined && <span className="muted"> · test set {formatPercent(testAccuracy, 1)}</span>}
              </>
            ) : (
              <span className="muted">measuring…</span>
            )}
          </p>
          <ol className="my-digits-grid" data-testid="my-digits-grid">
            {digits.map((digit) => {
              const predicted = predictedById.get(digit.id);
              const wrong = predicted !== undefined && predicted !== digit.label;
              return (
                <li key={digit.id} className={wrong ? 'my-digit my-digit-wrong' : 'my-digit'} data-testid="my-digit" data-label={digit.label} data-predicted={predicted ?? ''}>
                  <DigitCanvas pixels={digit.pixels} className="my-digit-image" />
                  <span className="my-digit-label" title={wrong ? `a ${digit.label}, read as ${predicted}` : `a ${digit.label}`}>
                    {digit.label}
                    {wrong && <span className="my-digit-guess"> → {predicted}</span>}
                  </span>
                  <button
                    type="button"
                    className="my-digit-delete"
                    aria-label={`Delete this ${digit.label}`}
                    title="Delete"
                    data-testid="my-digit-delete"
                    onClick={() => void actions.remove(digit.id)}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ol>
        </>
      )}
      <div className="field my-digits-mix" title={share.help}>
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="hp-mix-my-digits"
            disabled={digits.length === 0}
            checked={draftShare !== null}
            onChange={(e) => training.setDraft({ mixMyDigits: e.target.checked ? share.default : null })}
          />
          mix them into training
        </label>
      </div>
      {draftShare !== null && (
        <NumberField label={share.label} help={share.help} testId="hp-mix-share" value={draftShare} min={share.min} max={share.max} onChange={(mixMyDigits) => training.setDraft({ mixMyDigits })} />
      )}
      <div className="my-digits-files">
        <button type="button" className="classify-button" data-testid="my-digits-export" disabled={digits.length === 0} onClick={() => void actions.exportSet()}>
          Export…
        </button>
        <button type="button" className="classify-button" data-testid="my-digits-import" onClick={() => folderInput.current?.click()}>
          Import folder…
        </button>
        <input
          ref={(input) => {
            folderInput.current = input;
            // Not in React's typings: choose a folder rather than files.
            input?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          hidden
          multiple
          data-testid="my-digits-folder"
          onChange={(event) => {
            const files = Array.from(event.currentTarget.files ?? []);
            event.currentTarget.value = '';
            if (files.length > 0) void actions.importFolder(files);
          }}
        />
      </div>
      <MessageBox message={message} onDismiss={actions.dismiss} testId="my-digits-message" />
    </section>
  );
}

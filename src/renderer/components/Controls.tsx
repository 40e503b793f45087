// Train / Stop / Step / Reset, each enabled only when the trainer can take it.
import { useActions, useUi } from '../hooks/useUi';
import { needsReset } from '../state/store';
import { StepButtons } from './experiments/StepButtons';

export function Controls() {
  const actions = useActions();
  const status = useUi((s) => s.status);
  const ready = useUi((s) => s.connection === 'ready');
  const blocked = useUi(needsReset);
  const idle = status === 'idle' || status === 'error';

  return (
    <div className="controls">
      <button
        type="button"
        className="btn btn-primary"
        data-testid="train-button"
        disabled={!ready || !idle || blocked}
        title={blocked ? 'Hidden units or seed changed: press Reset first' : 'Train with the settings on the left'}
        onClick={() => void actions.train()}
      >
        <span aria-hidden="true">▶</span> Train
      </button>
      <button
        type="button"
        className="btn"
        data-testid="stop-button"
        disabled={!ready || status !== 'training'}
        title="Stop after the current step; the model is kept"
        onClick={() => void actions.stop()}
      >
        <span aria-hidden="true">■</span> Stop
      </button>
      <StepButtons />
      <button
        type="button"
        className={blocked ? 'btn btn-attention' : 'btn'}
        data-testid="reset-button"
        disabled={!ready || !idle}
        title="A fresh network and optimizer from the settings"
        onClick={() => void actions.reset()}
      >
        <span aria-hidden="true">↺</span> Reset
      </button>
    </div>
  );
}

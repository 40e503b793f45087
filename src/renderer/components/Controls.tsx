// Train / Stop / Step / Reset, each enabled only when the trainer can take it.
//
// A button that a keypress disables (Space on Train, Enter on Stop) would drop the focus to
// the page's body, and a keyboard user would start again from the top. So when the focused
// control becomes disabled, the focus moves to the one that is now enabled: Stop after
// Train, Train after Stop.
import { useLayoutEffect, useRef } from 'react';
import { useActions, useUi } from '../hooks/useUi';
import { epochsDoneProblem, startProblem } from '../state/draftCheck';
import { needsReset, shownStatus } from '../state/store';
import { StepButtons } from './experiments/StepButtons';

export function Controls() {
  const actions = useActions();
  // 'stopping' while a Stop is on its way: Train, Step and Stop wait for it (issue 25).
  const status = useUi(shownStatus);
  const ready = useUi((s) => s.connection === 'ready');
  const blocked = useUi(needsReset);
  // An invalid setting or a network that cannot be built: neither Reset nor Train can start, and both say why.
  const problem = useUi(startProblem);
  // The run reached its epochs: Train would be refused, so it says so before the click.
  const done = useUi(epochsDoneProblem);
  const idle = status === 'idle' || status === 'error';
  const train = useRef<HTMLButtonElement>(null);
  const stop = useRef<HTMLButtonElement>(null);
  const reset = useRef<HTMLButtonElement>(null);
  /** Whether the focus was on one of these buttons when it was last anywhere. */
  const hadFocus = useRef(false);

  const trainDisabled = !ready || !idle || blocked || problem !== null || done !== null;
  const stopDisabled = !ready || status !== 'training';
  const resetDisabled = !ready || !idle || problem !== null;

  useLayoutEffect(() => {
    if (!hadFocus.current) return;
    const active = document.activeElement;
    const lost = active === null || active === document.body || (active instanceof HTMLButtonElement && active.disabled && [train.current, stop.current, reset.current].includes(active));
    if (!lost) return;
    const next = [!stopDisabled && stop.current, !trainDisabled && train.current, !resetDisabled && reset.current].find((b): b is HTMLButtonElement => !!b);
    next?.focus();
  }, [trainDisabled, stopDisabled, resetDisabled]);

  const focusIn = () => {
    hadFocus.current = true;
  };
  // Leaving for another control (relatedTarget) ends it; focus lost to a disabled button does not.
  const focusOut = (event: React.FocusEvent) => {
    if (event.relatedTarget !== null) hadFocus.current = false;
  };

  return (
    <div className="controls" onFocus={focusIn} onBlur={focusOut}>
      <button
        ref={train}
        type="button"
        className="btn btn-primary"
        data-testid="train-button"
        disabled={trainDisabled}
        title={problem ?? (blocked ? 'The network or the seed changed: press Reset first' : (done ?? 'Train with the settings on the left'))}
        onClick={() => void actions.train()}
      >
        <span aria-hidden="true">▶</span> Train
      </button>
      <button ref={stop} type="button" className="btn" data-testid="stop-button" disabled={stopDisabled} title="Stop after the current step; the model is kept" onClick={() => void actions.stop()}>
        <span aria-hidden="true">■</span> Stop
      </button>
      <StepButtons />
      {done !== null && idle && (
        <span className="controls-done" data-testid="epochs-done" role="note">
          {done}.
        </span>
      )}
      <button
        ref={reset}
        type="button"
        className={blocked && !problem ? 'btn btn-attention' : 'btn'}
        data-testid="reset-button"
        disabled={resetDisabled}
        title={problem ?? 'A fresh network and optimizer from the settings'}
        onClick={() => void actions.reset()}
      >
        <span aria-hidden="true">↺</span> Reset
      </button>
    </div>
  );
}

// Step and Step ×N: exactly one training step (or a few), then every panel updates: the step
// counter, the loss chart (one point per step), the weight tiles and the selected digit's
// activations. The key S steps once, Shift+S steps ×N, wherever the focus is not in a field.
import { useEffect } from 'react';
import { STEP_BURST } from '../../../shared/contract';
import { useActions, useUi } from '../../hooks/useUi';
import { epochsDoneProblem, startProblem } from '../../state/draftCheck';
import { needsReset, uiStore } from '../../state/store';

/** Keys typed into a field are the field's. */
function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

export function StepButtons() {
  const actions = useActions();
  const ready = useUi((s) => s.connection === 'ready');
  const idle = useUi((s) => !s.stopRequested && (s.status === 'idle' || s.status === 'error'));
  const blocked = useUi(needsReset);
  const problem = useUi(startProblem);
  const done = useUi(epochsDoneProblem);
  const enabled = ready && idle && !blocked && problem === null && done === null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 's' || event.ctrlKey || event.metaKey || event.altKey || typingInField(event.target)) return;
      event.preventDefault();
      const s = uiStore.getState();
      if (s.connection === 'ready' && (s.status === 'idle' || s.status === 'error') && epochsDoneProblem(s) === null) void actions.step(event.shiftKey ? STEP_BURST : 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);

  return (
    <>
      <button
        type="button"
        className="btn"
        data-testid="step-button"
        disabled={!enabled}
        aria-keyshortcuts="S"
        title={problem ?? done ?? 'One training step (key S): watch a single update of the loss, the weights and the activations'}
        onClick={() => void actions.step(1)}
      >
        <span aria-hidden="true">▸</span> Step
      </button>
      <button
        type="button"
        className="btn"
        data-testid="step-burst-button"
        disabled={!enabled}
        aria-keyshortcuts="Shift+S"
        title={problem ?? done ?? `${STEP_BURST} training steps (Shift+S)`}
        onClick={() => void actions.step(STEP_BURST)}
      >
        ×{STEP_BURST}
      </button>
    </>
  );
}

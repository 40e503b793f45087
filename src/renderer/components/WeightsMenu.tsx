// Save / load / export the model. The Node side picks the file (Electron: native dialogs;
// browser: a download, or the file picker for Load), validates it, and answers; this
// menu only asks and shows the outcome, in full, in the strip under the status line (state/topMessages.ts). A failed load changes
// nothing, and says why. Closing the menu (Escape, or choosing an item) puts the focus back
// on its button, where a keyboard user left it.
import { noteExported } from '../lessons/lessonsStore';
import { useEffect, useRef, useState } from 'react';
import { getApi } from '../api';
import type { DigitrainApi, ExportFormat } from '../../shared/contract';
import { useModelInfo } from '../hooks/useModel';
import { useUi } from '../hooks/useUi';
import { onnxSignature, stateDictNames } from '../lib/modelSummary';
import { messageOf } from '../../shared/messageOf';
import { setWeightsMessage, useTopMessage } from '../state/topMessages';
import { MessageBox } from './MessageBox';
import './WeightsMenu.css';

export function WeightsMenu({ api = getApi() }: { api?: DigitrainApi }) {
  const status = useUi((s) => s.status);
  const info = useModelInfo();
  const ready = useUi((s) => s.connection === 'ready');
  const [busy, setBusy] = useState(false);
  const menu = useRef<HTMLDetailsElement>(null);
  const summary = useRef<HTMLElement>(null);
  const training = status === 'training' || status === 'stopping';

  // A dropdown closes when the user clicks elsewhere or presses Escape.
  useEffect(() => {
    const close = (event: Event) => {
      const details = menu.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== 'Escape') return;
        const focusInside = details.contains(document.activeElement);
        details.open = false;
        if (focusInside) summary.current?.focus();
      } else if (!details.contains(event.target as Node)) details.open = false;
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);

  function run(what: string, request: () => Promise<string | null>): void {
    const focusInside = menu.current?.contains(document.activeElement) ?? false;
    if (menu.current) menu.current.open = false;
    if (focusInside) summary.current?.focus();
    setBusy(true);
    setWeightsMessage(null);
    // Called synchronously in the click: the browser's file picker needs the user gesture.
    request()
      .then(
        (text) => setWeightsMessage(text === null ? null : { ok: true, text }),
        (error: unknown) => setWeightsMessage({ ok: false, text: `${what} failed: ${messageOf(error)}` }),
      )
      .finally(() => setBusy(false));
  }

  const save = (includeOptimizer: boolean) =>
    run('Save', async () => {
      const result = await api.saveWeights({ includeOptimizer });
      return result.saved ? `Saved ${result.name}${includeOptimizer ? ' (with optimizer state)' : ''}` : null;
    });

  const exportAs = (format: ExportFormat) =>
    run('Export', async () => {
      const result = await api.exportWeights(format);
      if (result.saved && format === 'pytorch') noteExported();
      return result.saved ? `Exported ${result.name}${result.companion ? ` and ${result.companion}` : ''}` : null;
    });

  const load = () =>
    run('Load', async () => {
      const result = await api.loadWeights();
      if (!result.loaded) return null;
      const accuracy = result.evaluation ? ` — test accuracy ${(result.evaluation.testAccuracy * 100).toFixed(2)}%` : '';
      // The step counter and the curves now belong to the file's run: say so.
      const step = result.evaluation ? `, at step ${result.evaluation.step.toLocaleString('en-US')}` : '';
      return `Loaded ${result.name}${accuracy}${step}. A loaded model starts a new history: the curves start afresh, and the previous run's stay in the charts, greyed.`;
    });

  const disabled = !ready || busy;
  return (
    <div className="weights-menu">
      <details ref={menu} className="weights-dropdown">
        <summary ref={summary} className="btn" data-testid="weights-menu" aria-disabled={disabled}>
          <span aria-hidden="true">⇅</span> Weights
        </summary>
        <div className="weights-items" role="menu">
          <button type="button" role="menuitem" data-testid="weights-save" disabled={disabled} onClick={() => save(false)}>
            Save weights…
          </button>
          <button
            type="button"
            role="menuitem"
            data-testid="weights-save-optimizer"
            disabled={disabled}
            title="Also store the optimizer state, so training resumes exactly where it stopped"
            onClick={() => save(true)}
          >
            Save with optimizer state…
          </button>
          <button
            type="button"
            role="menuitem"
            data-testid="weights-load"
            disabled={disabled || training}
            title={training ? 'Stop training first' : 'Replace the model with a saved one (checked before anything changes)'}
            onClick={load}
          >
            Load weights…
          </button>
          <hr />
          <button
            type="button"
            role="menuitem"
            data-testid="weights-export-pytorch"
            disabled={disabled}
            title={`A folder for PyTorch (a zip in the browser): model.py builds the network, weights.safetensors holds ${stateDictNames(info)}, train.py trains it on one machine or many (torchrun)`}
            onClick={() => exportAs('pytorch')}
          >
            Export for PyTorch…
          </button>
          <button type="button" role="menuitem" data-testid="weights-export-onnx" disabled={disabled} title={`ONNX (opset 13): ${onnxSignature(info)}`} onClick={() => exportAs('onnx')}>
            Export ONNX…
          </button>
        </div>
      </details>
      {busy && (
        <span className="weights-busy muted" data-testid="weights-busy">
          Working…
        </span>
      )}
    </div>
  );
}

/** What the Weights menu's last action came to, under the status line. */
export function WeightsMessage() {
  const message = useTopMessage();
  return <MessageBox message={message} onDismiss={() => setWeightsMessage(null)} testId={{ ok: 'weights-result', error: 'weights-error' }} />;
}

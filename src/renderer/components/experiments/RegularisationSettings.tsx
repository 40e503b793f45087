// Regularisation in the settings: weight decay (an optimizer hyperparameter, above), dropout
// (layers of the model, added in the network editor), label smoothing, and early stopping with
// the best evaluation's weights kept and one click away.
import { TRAIN_SETTINGS } from '../../../shared/trainSettings';
import { useActions, useUi } from '../../hooks/useUi';
import { bestEvaluation } from '../../lib/bestEvaluation';
import { formatInt, formatLoss, formatPercent } from '../../lib/format';
import { NumberField } from '../NumberField';
import './experiments.css';

function SettingNumber({ name, testId, value, onChange }: { name: 'labelSmoothing' | 'earlyStopping'; testId: string; value: number; onChange(v: number): void }) {
  const setting = TRAIN_SETTINGS[name];
  return (
    <div>
      <NumberField label={setting.label} help={setting.help} testId={testId} value={value} min={setting.min} max={setting.max} integer={setting.kind === 'int'} onChange={onChange} />
    </div>
  );
}

export function RegularisationSettings() {
  const actions = useActions();
  const draft = useUi((s) => s.draft);
  const set = actions.setDraft;
  const dropouts = draft.model.layers.filter((layer) => layer.type === 'dropout').length;

  return (
    <div className="regularisation" data-testid="regularisation">
      <h3 className="group-title">Regularisation</h3>
      <p className="reg-note">
        Weight decay is set with the optimizer above (added to the gradient for SGD and Adam, decoupled for AdamW). Dropout is a layer of the model:{' '}
        {dropouts === 0 ? 'this one has none; add it in the network editor.' : `this one has ${dropouts}.`}
      </p>
      <SettingNumber name="labelSmoothing" testId="hp-label-smoothing" value={draft.labelSmoothing} onChange={(labelSmoothing) => set({ labelSmoothing })} />
      <div className="field" title={TRAIN_SETTINGS.earlyStopping.help}>
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="hp-early-stopping"
            checked={draft.earlyStopping !== null}
            onChange={(e) => set({ earlyStopping: e.target.checked ? TRAIN_SETTINGS.earlyStopping.default : null })}
          />
          stop when the test loss stops improving
        </label>
      </div>
      {draft.earlyStopping !== null && <SettingNumber name="earlyStopping" testId="hp-patience" value={draft.earlyStopping} onChange={(earlyStopping) => set({ earlyStopping })} />}
      <BestWeights />
    </div>
  );
}

/** The best evaluation so far, and Restore best when the weights have moved on from it. */
function BestWeights() {
  const actions = useActions();
  const evaluations = useUi((s) => s.evaluations);
  const step = useUi((s) => s.step);
  const status = useUi((s) => s.status);
  const patience = useUi((s) => s.config.earlyStopping);
  const found = bestEvaluation(evaluations);
  if (!found) return null;
  const { best, since } = found;
  const stoppedEarly = patience !== null && status === 'idle' && since >= patience;
  return (
    <div className="best-weights" data-testid="best-weights" data-best-step={best.step}>
      {stoppedEarly && (
        <p className="best-stopped" data-testid="stopped-early">
          Stopped early: the test loss has not improved for {since} evaluations.
        </p>
      )}
      <p>
        Best test loss {formatLoss(best.testLoss)} at step {formatInt(best.step)} ({formatPercent(best.testAccuracy, 1)} right).
      </p>
      {best.step !== step && (
        <button
          type="button"
          className="link-btn"
          data-testid="restore-best"
          disabled={status === 'training' || status === 'stopping'}
          title="Back to the weights of that evaluation; the curves after it are cut (the run as it ended is kept in Runs)"
          onClick={() => void actions.restoreBest()}
        >
          Restore best (step {formatInt(best.step)})
        </button>
      )}
    </div>
  );
}

// The settings of the next run, drawn from the registries (ranges, labels and help texts
// come from src/shared). The optimizer's settings, batch size, epochs and evaluation interval
// apply at the next Train; the network (its hidden width here) and the seed define a new
// network, so they wait for Reset (and Train says so).
import type { TrainConfig } from '../../shared/contract';
import { UNITS } from '../../shared/model/layers/linear';
import type { NumberSetting } from '../../shared/model/settings';
import { describeModel } from '../../shared/model/describe';
import { DEFAULT_HIDDEN, mlpHidden, mlpSpec, withMlpHidden } from '../../shared/model/spec';
import { HYPERPARAMETERS, hyperNamesOf, isOptimizerName, OPTIMIZER_NAMES, OPTIMIZERS, switchOptimizer } from '../../shared/optimizers';
import { TRAIN_SETTINGS } from '../../shared/trainSettings';
import { useActions, useUi } from '../hooks/useUi';
import { widthsText } from '../lib/modelSummary';
import { changedSettings, needsReset } from '../state/store';
import { NumberField } from './NumberField';

function ResetBadge({ show }: { show: boolean }) {
  return show ? (
    <span className="badge badge-attention" data-testid="needs-reset">
      needs Reset
    </span>
  ) : null;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A NumberField for one registry setting. */
function SettingField({ setting, testId, value, onChange, hint }: { setting: NumberSetting; testId: string; value: number; onChange(v: number): void; hint?: React.ReactNode }) {
  return (
    <NumberField
      label={setting.label}
      testId={testId}
      value={value}
      min={setting.min}
      max={setting.max}
      integer={setting.kind === 'int'}
      onChange={onChange}
      hint={hint}
    />
  );
}

export function HyperParams() {
  const actions = useActions();
  const draft = useUi((s) => s.draft);
  const config = useUi((s) => s.config);
  const status = useUi((s) => s.status);
  const blocked = useUi(needsReset);
  const set = (patch: Partial<TrainConfig>) => actions.setDraft(patch);
  const changed = changedSettings(config, draft);
  const pending = changed.filter((k) => k !== 'model' && k !== 'seed');
  const hidden = mlpHidden(draft.model);
  const optimizer = draft.optimizer;

  return (
    <section className="panel hyper" data-testid="hyperparameters">
      <header className="panel-head">
        <h2>Hyperparameters</h2>
      </header>

      <h3 className="group-title">Network</h3>
      {hidden !== null ? (
        <NumberField
          label="Hidden units"
          testId="hp-hidden"
          value={hidden}
          min={UNITS.min}
          max={UNITS.max}
          integer
          onChange={(units) => set({ model: withMlpHidden(draft.model, units) ?? draft.model })}
          hint={<ResetBadge show={changed.includes('model')} />}
        />
      ) : (
        <div className="custom-model">
          <p data-testid="hp-custom-model">
            A model of {draft.model.layers.length} layers (from a file). <ResetBadge show={changed.includes('model')} />
          </p>
          <button type="button" className="link-btn" data-testid="hp-default-model" onClick={() => set({ model: mlpSpec(DEFAULT_HIDDEN) })}>
            Use the default model ({widthsText(describeModel(mlpSpec(DEFAULT_HIDDEN)))})
          </button>
        </div>
      )}
      <SettingField setting={TRAIN_SETTINGS.seed} testId="hp-seed" value={draft.seed} onChange={(seed) => set({ seed })} hint={<ResetBadge show={changed.includes('seed')} />} />

      <h3 className="group-title">Optimisation</h3>
      <div className="field">
        <label htmlFor="hp-optimizer">Optimizer</label>
        <select
          id="hp-optimizer"
          data-testid="hp-optimizer"
          value={optimizer.type}
          onChange={(e) => {
            if (isOptimizerName(e.target.value)) set({ optimizer: switchOptimizer(optimizer, e.target.value) });
          }}
        >
          {OPTIMIZER_NAMES.map((name) => (
            <option key={name} value={name}>
              {OPTIMIZERS[name].label}
            </option>
          ))}
        </select>
      </div>
      {hyperNamesOf(optimizer.type).map((name) => (
        <SettingField
          key={`${optimizer.type}-${name}`}
          setting={HYPERPARAMETERS[name]}
          testId={`hp-${kebab(name)}`}
          value={optimizer.hyper[name]}
          onChange={(v) => set({ optimizer: { ...optimizer, hyper: { ...optimizer.hyper, [name]: v } } })}
        />
      ))}
      <SettingField setting={TRAIN_SETTINGS.batchSize} testId="hp-batch" value={draft.batchSize} onChange={(batchSize) => set({ batchSize })} />

      <h3 className="group-title">Schedule</h3>
      <div className="field">
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="hp-until-stopped"
            checked={draft.epochs === null}
            onChange={(e) => set({ epochs: e.target.checked ? null : Math.max(1, Math.ceil(config.epochs ?? 1)) })}
          />
          train until stopped
        </label>
      </div>
      {draft.epochs !== null && <SettingField setting={TRAIN_SETTINGS.epochs} testId="hp-epochs" value={draft.epochs} onChange={(epochs) => set({ epochs })} />}
      <SettingField setting={TRAIN_SETTINGS.evalEvery} testId="hp-eval-every" value={draft.evalEvery} onChange={(evalEvery) => set({ evalEvery })} />

      <div className="hyper-foot" data-testid="hyper-hint">
        {blocked ? (
          <span className="hint-attention">New network settings: press Reset to build it, then Train.</span>
        ) : pending.length > 0 ? (
          <span className="hint">
            {status === 'training' ? 'Applies after Stop, at the next Train' : 'Applies at the next Train'}: {pending.join(', ')}
          </span>
        ) : (
          <span className="hint muted">The trainer runs with these settings.</span>
        )}
      </div>
    </section>
  );
}

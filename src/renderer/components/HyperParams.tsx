// The settings of the run, drawn from the registries (ranges, labels and help texts come from
// src/shared; each field shows its help as a tooltip). The optimizer's settings, batch size,
// epochs and evaluation interval apply at once, also while training (at the next step); the
// network (NetworkSettings, and the layer editor) and the seed define a new network, so they
// wait for Reset (and Train says so). A value that is not allowed stays in its field, marked,
// and holds Train.
import { useEffect } from 'react';
import type { TrainConfig } from '../../shared/contract';
import type { NumberSetting } from '../../shared/model/settings';
import { hyperNamesOf, hyperProblem, hyperSettingOf, isOptimizerName, OPTIMIZER_NAMES, OPTIMIZERS, switchOptimizer } from '../../shared/optimizers';
import { TRAIN_SETTINGS } from '../../shared/trainSettings';
import { useActions, useUi } from '../hooks/useUi';
import { draftProblem } from '../state/draftCheck';
import { changedSettings, fieldProblem, needsReset } from '../state/store';
import { PanelHead } from './explain/PanelHead';
import { NetworkSettings } from './NetworkSettings';
import { NumberField } from './NumberField';
import { RegularisationSettings } from './experiments/RegularisationSettings';
import { ScheduleSettings } from './experiments/ScheduleSettings';
import { ResetBadge } from './ResetBadge';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** How the footer names a setting: its registry label. */
function settingName(key: keyof TrainConfig): string {
  if (key === 'optimizer') return 'optimizer';
  if (key === 'model') return 'network';
  return TRAIN_SETTINGS[key].label.replace(/ \(.*\)$/, '').toLowerCase();
}

/** A NumberField for one registry setting, or a checkbox for an on/off one (kept as 0 or 1). */
function SettingField({ setting, testId, value, onChange, hint }: { setting: NumberSetting; testId: string; value: number; onChange(v: number): void; hint?: React.ReactNode }) {
  if (setting.onOff) {
    return (
      <div className="field has-help">
        <label className="toggle">
          <input type="checkbox" aria-describedby={`${testId}-help`} data-testid={testId} checked={value !== 0} onChange={(e) => onChange(e.target.checked ? 1 : 0)} />
          {setting.label}
        </label>
        <span className="field-help" id={`${testId}-help`} role="tooltip">
          {setting.help}
        </span>
      </div>
    );
  }
  return <NumberField label={setting.label} help={setting.help} testId={testId} value={value} min={setting.min} max={setting.max} integer={setting.kind === 'int'} onChange={onChange} hint={hint} />;
}

export function HyperParams() {
  const actions = useActions();
  const draft = useUi((s) => s.draft);
  const config = useUi((s) => s.config);
  const status = useUi((s) => s.status);
  const blocked = useUi(needsReset);
  const problem = useUi(fieldProblem);
  const set = (patch: Partial<TrainConfig>) => actions.setDraft(patch);
  const changed = changedSettings(config, draft);
  const pending = changed.filter((k) => k !== 'model' && k !== 'seed');
  const networkProblem = useUi(draftProblem);
  const optimizer = draft.optimizer;
  // Settings each in range that do not go together (Nesterov without momentum): Train and Reset wait, as for a bad field.
  const mismatch = hyperProblem(optimizer.type, optimizer.hyper);
  useEffect(() => {
    actions.setFieldError('hp-optimizer', mismatch ? `Optimizer: ${mismatch}` : null);
    return () => actions.setFieldError('hp-optimizer', null);
  }, [actions, mismatch]);

  return (
    <section className="panel hyper" data-testid="hyperparameters">
      <PanelHead title="Hyperparameters" topic="settings" />

      <h3 className="group-title">Network</h3>
      <NetworkSettings />
      <SettingField setting={TRAIN_SETTINGS.seed} testId="hp-seed" value={draft.seed} onChange={(seed) => set({ seed })} hint={<ResetBadge show={changed.includes('seed')} />} />

      <h3 className="group-title">Optimisation</h3>
      <div className="field has-help">
        <label htmlFor="hp-optimizer">Optimizer</label>
        <select
          id="hp-optimizer"
          data-testid="hp-optimizer"
          aria-describedby="hp-optimizer-help"
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
        <span className="field-help" id="hp-optimizer-help" role="tooltip" data-testid="hp-optimizer-help">
          {OPTIMIZERS[optimizer.type].description}
        </span>
      </div>
      {hyperNamesOf(optimizer.type).map((name) => (
        <SettingField
          key={`${optimizer.type}-${name}`}
          setting={hyperSettingOf(optimizer.type, name)}
          testId={`hp-${kebab(name)}`}
          value={optimizer.hyper[name]}
          onChange={(v) => set({ optimizer: { ...optimizer, hyper: { ...optimizer.hyper, [name]: v } } })}
        />
      ))}
      {mismatch && (
        <div className="field field-invalid">
          <span className="field-error" role="alert" data-testid="hp-optimizer-error">
            {mismatch}
          </span>
        </div>
      )}
      <ScheduleSettings />
      <SettingField setting={TRAIN_SETTINGS.batchSize} testId="hp-batch" value={draft.batchSize} onChange={(batchSize) => set({ batchSize })} />

      <h3 className="group-title">Schedule</h3>
      <div className="field has-help">
        <label className="toggle">
          <input
            type="checkbox"
            aria-describedby="hp-until-stopped-help"
            data-testid="hp-until-stopped"
            checked={draft.epochs === null}
            onChange={(e) => set({ epochs: e.target.checked ? null : Math.max(1, Math.ceil(config.epochs ?? 1)) })}
          />
          train until stopped
        </label>
        <span className="field-help" id="hp-until-stopped-help" role="tooltip">
          Train on until you press Stop; unticked, training stops by itself after the number of epochs below. {TRAIN_SETTINGS.epochs.help}
        </span>
      </div>
      {draft.epochs !== null && <SettingField setting={TRAIN_SETTINGS.epochs} testId="hp-epochs" value={draft.epochs} onChange={(epochs) => set({ epochs })} />}
      <SettingField setting={TRAIN_SETTINGS.evalEvery} testId="hp-eval-every" value={draft.evalEvery} onChange={(evalEvery) => set({ evalEvery })} />

      <RegularisationSettings />

      <div className="hyper-foot" data-testid="hyper-hint">
        {problem ? (
          <span className="hint-attention">Fix {problem.split(':')[0].toLowerCase()} first: Train and Reset wait for it.</span>
        ) : networkProblem ? (
          <span className="hint-attention">The network cannot be built yet: see the layer editor.</span>
        ) : blocked ? (
          <span className="hint-attention">
            New network settings: {status === 'training' ? 'press Stop, then ' : 'press '}Reset to build it, then Train.
            {pending.length > 0 && status === 'training' ? ` Applies now: ${pending.map(settingName).join(', ')}.` : ''}
          </span>
        ) : pending.length > 0 ? (
          <span className="hint">
            {status === 'training' ? 'Applies now, at the next step' : 'Applies at the next Train'}: {pending.map(settingName).join(', ')}
          </span>
        ) : (
          <span className="hint muted">{status === 'training' ? 'The trainer runs with these settings; changes apply at the next step.' : 'The trainer runs with these settings.'}</span>
        )}
      </div>
    </section>
  );
}

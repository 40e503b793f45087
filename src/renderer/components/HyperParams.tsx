// The settings of the next run. Learning rate, batch size, optimizer, epochs and
// evaluation interval apply at the next Train; hidden units and seed define a
// new network, so they wait for Reset (and Train says so).
import { useActions, useUi } from '../hooks/useUi';
import { needsReset, RESET_KEYS } from '../state/store';
import type { TrainConfig } from '../../shared/contract';
import { NumberField } from './NumberField';

function ResetBadge({ show }: { show: boolean }) {
  return show ? (
    <span className="badge badge-attention" data-testid="needs-reset">
      needs Reset
    </span>
  ) : null;
}

export function HyperParams() {
  const actions = useActions();
  const draft = useUi((s) => s.draft);
  const config = useUi((s) => s.config);
  const status = useUi((s) => s.status);
  const blocked = useUi(needsReset);
  const set = (patch: Partial<TrainConfig>) => actions.setDraft(patch);
  const pending = (Object.keys(draft) as (keyof TrainConfig)[]).filter(
    (k) => draft[k] !== config[k] && !(RESET_KEYS as readonly string[]).includes(k),
  );

  return (
    <section className="panel hyper" data-testid="hyperparameters">
      <header className="panel-head">
        <h2>Hyperparameters</h2>
      </header>

      <h3 className="group-title">Network</h3>
      <NumberField
        label="Hidden units"
        testId="hp-hidden"
        value={draft.hidden}
        min={1}
        max={1024}
        integer
        onChange={(hidden) => set({ hidden })}
        hint={<ResetBadge show={draft.hidden !== config.hidden} />}
      />
      <NumberField
        label="Seed"
        testId="hp-seed"
        value={draft.seed}
        min={0}
        max={2 ** 31 - 1}
        integer
        onChange={(seed) => set({ seed })}
        hint={<ResetBadge show={draft.seed !== config.seed} />}
      />

      <h3 className="group-title">Optimisation</h3>
      <div className="field">
        <label htmlFor="hp-optimizer">Optimizer</label>
        <select
          id="hp-optimizer"
          data-testid="hp-optimizer"
          value={draft.optimizer}
          onChange={(e) => set({ optimizer: e.target.value === 'sgd' ? 'sgd' : 'adam' })}
        >
          <option value="adam">Adam</option>
          <option value="sgd">SGD with momentum</option>
        </select>
      </div>
      <NumberField label="Learning rate" testId="hp-lr" value={draft.lr} min={1e-7} max={10} onChange={(lr) => set({ lr })} />
      <NumberField
        label="Momentum"
        testId="hp-momentum"
        value={draft.momentum}
        min={0}
        max={0.999}
        disabled={draft.optimizer !== 'sgd'}
        onChange={(momentum) => set({ momentum })}
      />
      <NumberField label="Batch size" testId="hp-batch" value={draft.batchSize} min={1} max={4096} integer onChange={(batchSize) => set({ batchSize })} />

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
      {draft.epochs !== null && (
        <NumberField label="Epochs" testId="hp-epochs" value={draft.epochs} min={0.01} max={1000} onChange={(epochs) => set({ epochs })} />
      )}
      <NumberField
        label="Evaluate every (steps)"
        testId="hp-eval-every"
        value={draft.evalEvery}
        min={1}
        max={1_000_000}
        integer
        onChange={(evalEvery) => set({ evalEvery })}
      />

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

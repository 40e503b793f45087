// Runs, kept and compared: every training run (from a Reset or a Load to the next one) is kept
// on the Node side with its settings, curves and final weights. Here the learner names them,
// picks several to overlay, reopens one's weights, exports or deletes it. A run file that could
// not be read is listed as a problem (with a way to delete it), and the others load as usual.
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { describeModel } from '../../../shared/model/describe';
import { OPTIMIZERS } from '../../../shared/optimizers';
import { CONSTANT_SCHEDULE, SCHEDULES } from '../../../shared/schedules';
import { changeSteps, RUN_EXPORT_FORMATS, settingsAtBest, type RunExportFormat, type RunSummary } from '../../../shared/runs';
import type { TrainConfig } from '../../../shared/contract';
import { useUi } from '../../hooks/useUi';
import { formatPercent } from '../../lib/format';
import { formatLr } from '../../lib/lrCurve';
import { widthsText } from '../../lib/modelSummary';
import { formatSeconds } from '../../lib/runCompare';
import { runsStore, type RunsActions, type RunsState } from '../../state/runsStore';
import { RunsCompare, runColor } from './RunsCompare';
import { MessageBox } from '../MessageBox';
import './experiments.css';

const RUN_EXPORT_LABELS: Record<RunExportFormat, string> = { record: 'Record + weights', csv: 'CSV', tensorboard: 'TensorBoard' };
const RUN_EXPORT_HELP: Record<RunExportFormat, string> = {
  record: "Digitrain's record of the run (JSON) and its final weights",
  csv: 'One row per step (loss, accuracy, learning rate) and one per test evaluation, for spreadsheets and pandas',
  tensorboard: 'An event file: put it in a folder and run tensorboard --logdir on it',
};

export function useRuns<T>(selector: (state: RunsState) => T): T {
  return useStore(runsStore, selector);
}

export const RunsContext = createContext<RunsActions | null>(null);

function useRunsActions(): RunsActions {
  const actions = useContext(RunsContext);
  if (!actions) throw new Error('useRunsActions() outside <RunsContext.Provider>');
  return actions;
}

const MB = 1024 * 1024;

/** A run's settings in a line: "Adam lr 0.001 · batch 32". */
export function settingsText(config: TrainConfig): string {
  const { optimizer, batchSize } = config;
  const schedule = optimizer.schedule ?? CONSTANT_SCHEDULE;
  const parts = [`${OPTIMIZERS[optimizer.type].label.split(' ')[0]} lr ${formatLr(optimizer.hyper.lr)}`];
  if (schedule.type !== 'constant') parts.push(SCHEDULES[schedule.type].label.toLowerCase());
  if (optimizer.hyper.weightDecay) parts.push(`decay ${formatLr(optimizer.hyper.weightDecay)}`);
  parts.push(`batch ${batchSize}`);
  return parts.join(' · ');
}

/** "changed at step 8,747" (or "at steps 500, 8,747"; a long list ends with how many more). */
export function changedText(run: Pick<RunSummary, 'settings'>): string | null {
  const steps = changeSteps(run);
  if (steps.length === 0) return null;
  const shown = steps.slice(0, 3).map((s) => s.toLocaleString('en-US'));
  const more = steps.length > 3 ? ` and ${steps.length - 3} more` : '';
  return `changed at step${steps.length > 1 ? 's' : ''} ${shown.join(', ')}${more}`;
}

function modelText(run: RunSummary): string {
  try {
    return widthsText(describeModel(run.config.model));
  } catch {
    return `${run.config.model.layers.length} layers`;
  }
}

function dateText(iso: string): string {
  const date = new Date(iso);
  return `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
}

export function RunsPanel() {
  const actions = useRunsActions();
  const list = useRuns((s) => s.list);
  const selected = useRuns((s) => s.selected);
  const message = useRuns((s) => s.message);
  const runs = list?.runs ?? [];

  return (
    <section className="panel runs-panel" data-testid="runs-panel" data-folder={list?.folder ?? ''} data-count={runs.length}>
      <header className="panel-head">
        <h2>Runs</h2>
        {list && (
          <span className="panel-value panel-value-lead" data-testid="runs-usage">
            {runs.length} kept · {(list.bytes / MB).toFixed(1)} of {Math.round(list.maxBytes / MB)} MB
          </span>
        )}
        <button type="button" className="classify-button" onClick={() => void actions.refresh()} data-testid="runs-refresh">
          Refresh
        </button>
      </header>
      <MessageBox message={message} onDismiss={actions.dismiss} testId="runs-message" />
      {list?.problems.map((problem, i) => (
        <div className="message-box message-error" role="alert" data-testid="runs-problem" data-run-id={problem.id ?? ''} key={`${problem.id}-${i}`}>
          <span>{problem.message}</span>
          {problem.id && <DeleteButton label="Delete the file" onDelete={() => actions.remove(problem.id as string)} />}
        </div>
      ))}
      {runs.length === 0 ? (
        <p className="muted runs-empty">
          Every run is kept here, from a Reset (or a Load) to the next: train a little, Stop, change a setting, Reset, train again, then tick two runs to compare them.
        </p>
      ) : (
        <div className="runs-table-wrap">
          <table className="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th scope="col" className="runs-pick">
                  <span className="visually-hidden">Compare</span>
                </th>
                <th scope="col">Name · started · time</th>
                <th scope="col">Model · settings</th>
                <th scope="col" className="num">
                  Best test
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow key={run.id} run={run} actions={actions} index={selected.indexOf(run.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected.length > 0 && <RunsCompare actions={actions} />}
      {list && (
        <p className="runs-foot muted">
          Kept in <code>{list.folder}</code>; the oldest go when they pass {Math.round(list.maxBytes / MB)} MB. <code>npm run train -- --record</code> adds a run from the command line.
        </p>
      )}
    </section>
  );
}

function RunRow({ run, actions, index }: { run: RunSummary; actions: RunsActions; index: number }) {
  const busy = useUi((s) => s.status === 'training' || s.status === 'stopping' || s.connection !== 'ready');
  const picked = index >= 0;
  // The settings that produced its best test accuracy: what the best figure beside them is owed to.
  const atBest = settingsAtBest(run);
  const changed = changedText(run);
  return (
    <tr
      className={picked ? 'runs-row runs-row-picked' : 'runs-row'}
      data-testid="run-row"
      data-run-id={run.id}
      data-name={run.name}
      data-lr={atBest.optimizer.hyper.lr}
      data-final-lr={run.config.optimizer.hyper.lr}
      data-final-accuracy={run.finalTestAccuracy ?? ''}
    >
      <td className="runs-pick">
        <input type="checkbox" checked={picked} aria-label={`Compare ${run.name}`} data-testid="run-compare" onChange={() => void actions.toggle(run.id)} />
        {picked && <span className="runs-swatch" style={{ background: runColor(index) }} aria-hidden="true" />}
      </td>
      <td className="runs-name-cell">
        <NameField run={run} onRename={(name) => actions.rename(run.id, name)} />
        <div className="runs-sub">
          {dateText(run.started)} · {formatSeconds(run.seconds)} · {run.steps.toLocaleString('en-US')} steps
          {run.source === 'cli' && <span className="badge runs-badge">CLI</span>}
        </div>
      </td>
      <td className="runs-settings">
        <div className="runs-model">{modelText(run)}</div>
        <div
          className="runs-sub runs-sub-wrap"
          data-testid="run-settings"
          title={run.bestStep === null ? 'Its settings (it was not scored on the test set)' : `The settings it trained with at its best test accuracy (step ${run.bestStep.toLocaleString('en-US')})`}
        >
          {settingsText(atBest)}
        </div>
        {changed && (
          <div className="runs-sub runs-changed" data-testid="run-settings-changed" title={`It ended with ${settingsText(run.config)}`}>
            {changed}
          </div>
        )}
      </td>
      <td className="num" title={run.finalTestAccuracy === null ? 'not evaluated' : `final ${formatPercent(run.finalTestAccuracy, 2)}`}>
        {run.bestTestAccuracy === null ? '–' : formatPercent(run.bestTestAccuracy, 2)}
      </td>
      <td>
        <div className="runs-actions">
          <button
            type="button"
            className="classify-button"
            data-testid="run-reopen"
            disabled={busy || !run.hasWeights}
            title={run.hasWeights ? "Load this run's final weights and settings into the trainer" : 'Its weights file is missing'}
            onClick={() => void actions.reopen(run.id)}
          >
            Reopen
          </button>
          <select
            className="run-export"
            data-testid="run-export"
            aria-label={`Export "${run.name}"`}
            title="Export the run: its record with its weights, its curves as CSV, or a TensorBoard event file"
            value=""
            onChange={(event) => {
              const format = event.target.value as RunExportFormat;
              if (format) void actions.exportRun(run.id, format);
            }}
          >
            <option value="" disabled hidden>
              Export…
            </option>
            {RUN_EXPORT_FORMATS.map((format) => (
              <option key={format} value={format} title={RUN_EXPORT_HELP[format]}>
                {RUN_EXPORT_LABELS[format]}
              </option>
            ))}
          </select>
          <DeleteButton label="Delete" onDelete={() => actions.remove(run.id)} />
        </div>
      </td>
    </tr>
  );
}

/** The name, edited in place: Enter or leaving the field keeps it, Escape puts it back. */
function NameField({ run, onRename }: { run: RunSummary; onRename(name: string): Promise<void> }) {
  const [text, setText] = useState(run.name);
  useEffect(() => setText(run.name), [run.name]);
  const commit = () => {
    const name = text.trim();
    if (name === '' || name === run.name) setText(run.name);
    else void onRename(name);
  };
  return (
    <input
      className="runs-name"
      data-testid="run-name"
      aria-label="Run name"
      value={text}
      maxLength={80}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          setText(run.name);
          e.currentTarget.blur();
        }
      }}
    />
  );
}

/** Two clicks: the first asks, the second (within a few seconds) deletes. */
function DeleteButton({ label, onDelete }: { label: string; onDelete(): Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return (
    <button
      type="button"
      className={asking ? 'classify-button runs-delete-confirm' : 'classify-button'}
      data-testid="run-delete"
      onClick={() => {
        if (!asking) {
          setAsking(true);
          timer.current = setTimeout(() => setAsking(false), 4000);
          return;
        }
        if (timer.current) clearTimeout(timer.current);
        setAsking(false);
        void onDelete();
      }}
    >
      {asking ? 'Sure?' : label}
    </button>
  );
}

// The run's store: status, curves, settings, weights (the panels with state of their own keep
// it in stores beside this one: runsStore, inspectStore, insightStore, myDigitsStore, …).
// The Node side pushes events (status, metrics, evaluation, weights, error); `reduce*`
// functions fold each into the state and are pure apart from appending to the curve
// buffers, so they are unit-tested without React or a browser. Components read slices
// through `useUi`.
import { createStore } from 'zustand/vanilla';
import {
  defaultConfig,
  networkChanges,
  type AppState,
  type Classification,
  type Evaluation,
  type EvaluationPoint,
  type EventMap,
  type MetricsEvent,
  type RunInfo,
  type SettingsChange,
  type Status,
  type TrainConfig,
  type WeightsSnapshot,
} from '../../shared/contract';
import { sameModel } from '../../shared/model/spec';
import { trainingFlops } from '../../shared/model/cost';
import { specCost } from './specCost';
import { appendStep, createCurves, curvesFromHistory, type Curves } from './series';

/** A digit chosen for the network view: a test sample, or one drawn / dropped by the user. */
export interface SelectedInput {
  /** 28×28 values in [0, 1], ink = 1, row-major: what the model reads. */
  pixels: Float32Array;
  /** True label when known (test samples). */
  label: number | null;
  /** What to call it in the UI, e.g. "test #123" or "your drawing". */
  source: string;
}

export type Connection = 'connecting' | 'ready' | 'lost';

/** The curves of the run before this one (a Reset or a loaded file started a new one), drawn greyed for comparison. */
export interface PreviousRun {
  /** The run it was (its name comes from the runs list: runName). */
  run: RunInfo;
  /** Why it ended, e.g. "before Reset". */
  why: string;
  curves: Curves;
  evaluations: EvaluationPoint[];
}

/** How the charts are shown: a step range zoomed into (null: the whole run), and the loss on a log axis. */
export interface ChartView {
  range: readonly [number, number] | null;
  logLoss: boolean;
}

export interface UiState {
  connection: Connection;
  status: Status;
  /**
   * Stop was pressed and the trainer has not yet said it stopped: the page shows "Stopping…",
   * holds Train/Step/Stop and sends no live settings (issue 25: Stop must win). Cleared by the
   * Stop's answer (it comes after the answers to everything sent before it), or its failure.
   */
  stopRequested: boolean;
  /** The run the curves belong to (id 0 until the Node side has said). */
  run: RunInfo;
  previousRun: PreviousRun | null;
  chartView: ChartView;
  /** Error shown in the status line while status is 'error'. */
  error: string | null;
  /** The last failure of a request or an `error` event: shown until dismissed or the next success. */
  notice: string | null;
  step: number;
  epoch: number;
  samplesPerSecond: number;
  /**
   * This machine's training speed in floating-point operations per second, derived from the
   * trainer's measured samples per second and its model's operations per sample (the last
   * measurement, kept across runs and reloads): the editor's time per step reads it. Null until measured.
   */
  flopsPerSecond: number | null;
  /** The settings the Node side runs with. */
  config: TrainConfig;
  /** The settings in the hyperparameters panel, applied at the next Train (or Reset). */
  draft: TrainConfig;
  curves: Curves;
  /** Bumped on every change of `curves` (the buffers themselves are mutated in place). */
  curvesVersion: number;
  evaluations: EvaluationPoint[];
  lastEvaluation: Evaluation | null;
  weights: WeightsSnapshot | null;
  selected: SelectedInput | null;
  selectedUnit: number | null;
  classification: Classification | null;
  onlyMistakes: boolean;
  /**
   * Settings fields whose text is not a valid value, by field, with what is wrong. The field
   * keeps the text and says so; Train and Reset wait until it is fixed, so nothing runs with
   * a value other than the one on the screen.
   */
  fieldErrors: Readonly<Record<string, string>>;
  /** The learning rate the trainer used at its latest reported step (its schedule's), or null before any. */
  lr: { step: number; value: number } | null;
  /** This run's settings timeline (shared/runs.ts): the charts mark each change with a line. */
  settings: SettingsChange[];
}

export function initialUiState(): UiState {
  return {
    connection: 'connecting',
    status: 'idle',
    stopRequested: false,
    run: { id: 0, origin: 'start', file: null },
    previousRun: null,
    chartView: { range: null, logLoss: false },
    error: null,
    notice: null,
    step: 0,
    epoch: 0,
    samplesPerSecond: 0,
    flopsPerSecond: loadFlopsPerSecond(),
    config: defaultConfig(),
    draft: defaultConfig(),
    curves: createCurves(),
    curvesVersion: 0,
    evaluations: [],
    lastEvaluation: null,
    weights: null,
    selected: null,
    selectedUnit: null,
    classification: null,
    onlyMistakes: false,
    lr: null,
    fieldErrors: {},
    settings: [],
  };
}

/** The first invalid settings field's message, or null when every field holds a valid value. */
export function fieldProblem(state: Pick<UiState, 'fieldErrors'>): string | null {
  const first = Object.values(state.fieldErrors)[0];
  return first ?? null;
}

/** Run names by their id in the runs folder, as the runs list shows them. */
export type RunNames = ReadonlyMap<string, string>;

/**
 * What a run is called in the charts' tooltips and legends: the name the runs list gives it
 * ("Run 3", or the learner's), one name everywhere; `fallback` until the list has it (a run is
 * kept from its first checkpoint on).
 */
export function runName(run: RunInfo, names: RunNames, fallback = 'this run'): string {
  return (run.recordId !== undefined ? names.get(run.recordId) : undefined) ?? fallback;
}

/** The greyed previous run's label: "Run 3 (before Restore best)". */
export function previousRunLabel(previous: PreviousRun, names: RunNames): string {
  return `${runName(previous.run, names, 'previous run')} (${previous.why})`;
}

/** Why a run ended, as the next one began: "before Reset". */
function whyEnded(next: RunInfo): string {
  return next.origin === 'load'
    ? `before loading ${next.file ?? 'a file'}`
    : next.origin === 'reset'
      ? 'before Reset'
      : next.origin === 'best'
        ? 'before Restore best'
        : 'before the trainer restarted';
}

/**
 * A new run began (its id changed, or the step went back): its curves start empty, the
 * charts' zoom is dropped, and the run that ended stays visible, greyed, when it had steps
 * (else the one before it stays).
 */
function startRun(state: UiState, run: RunInfo): Partial<UiState> {
  const ended = state.curves.step.length > 0 ? { run: state.run, why: whyEnded(run), curves: state.curves, evaluations: state.evaluations } : state.previousRun;
  return {
    run,
    previousRun: ended,
    curves: createCurves(),
    curvesVersion: state.curvesVersion + 1,
    evaluations: [],
    lastEvaluation: null,
    chartView: { ...state.chartView, range: null },
    lr: null,
  };
}

/** Whether the draft describes another network (model or seed), which only Reset can build. */
export function needsReset(state: Pick<UiState, 'config' | 'draft'>): boolean {
  return networkChanges(state.config, state.draft).length > 0;
}

/** The settings whose draft differs from what the trainer runs with (objects compared by value). */
export function changedSettings(config: TrainConfig, draft: TrainConfig): (keyof TrainConfig)[] {
  return (Object.keys(draft) as (keyof TrainConfig)[]).filter((key) => JSON.stringify(draft[key]) !== JSON.stringify(config[key]));
}

/**
 * A whole snapshot from getState() (page load, reconnect). While it continues the run we
 * already show, our per-step curves stay (the snapshot's history is downsampled) and only
 * newer points are added; otherwise the curves are rebuilt from its history.
 */
export function reduceAppState(state: UiState, app: AppState): Partial<UiState> {
  const { step, loss, accuracy } = app.history;
  const n = Math.min(step.length, loss.length, accuracy.length);
  const ours = state.curves.step.last();
  const sameRun = app.run.id === state.run.id;
  const continues = ours !== undefined && sameRun && app.step >= ours && sameModel(app.config.model, state.config.model);
  // A page load (no run known yet) has nothing to keep; another run's curves become the previous run.
  const base = state.run.id === 0 || sameRun ? { run: app.run } : startRun(state, app.run);
  // Rebuilt curves take the history's stride for the steps that follow (series.ts curvesFromHistory).
  const curves = continues ? state.curves : curvesFromHistory(step.slice(0, n), loss.slice(0, n), accuracy.slice(0, n));
  if (continues) for (let i = 0; i < n; i++) appendStep(curves, step[i], loss[i], accuracy[i]);
  const next = { ...state, ...base };
  // reduceAnswer (through reduceStatus) drops the weights when the architecture changed; the state's own snapshot replaces them.
  return {
    ...base,
    ...reduceAnswer(next, app),
    curves,
    curvesVersion: state.curvesVersion + 1,
    evaluations: [...app.history.evaluations],
    // The Node side's timeline is the truth (it has the changes made while this page was away).
    settings: app.settings,
    ...(app.weights ? { weights: app.weights } : {}),
  };
}

/** The answer to train/stop/reset: the trainer's status and settings now (curves come from events). */
export function reduceAnswer(state: UiState, app: AppState): Partial<UiState> {
  const partial = reduceStatus(state, { status: app.status, error: app.error, step: app.step, epoch: app.epoch, config: app.config, run: app.run });
  const evaluations = partial.evaluations ?? state.evaluations;
  return {
    ...partial,
    // The settings timeline as the Node side keeps it: each change from the step it applied to.
    settings: app.settings,
    lastEvaluation: app.lastEvaluation,
    evaluations: app.history.evaluations.length < evaluations.length ? [...app.history.evaluations] : evaluations,
  };
}

/** The trainer's new settings, except where the user has an edit pending: that stays in the draft. */
function mergeDraft(state: UiState, next: TrainConfig): TrainConfig {
  const draft: TrainConfig = { ...next };
  for (const key of changedSettings(state.config, state.draft)) (draft as unknown as Record<string, unknown>)[key] = state.draft[key];
  return draft;
}

/** The status as the page says it: 'stopping' from the Stop press until the trainer has stopped. */
export function shownStatus(state: Pick<UiState, 'status' | 'stopRequested'>): Status {
  return state.stopRequested && state.status === 'training' ? 'stopping' : state.status;
}

export function reduceStatus(state: UiState, ev: EventMap['status']): Partial<UiState> {
  const last = state.curves.step.last();
  // Another run (a Reset or a loaded file, here or in another window), or the step went back: the old curves belong to another model.
  const restarted = (state.run.id !== 0 && ev.run.id !== state.run.id) || (last !== undefined && ev.step < last);
  const architectureChanged = !sameModel(ev.config.model, state.config.model);
  // A new run starts a timeline of its own; the Node side's answers bring it (reduceAnswer, reduceAppState).
  const settings = restarted ? [] : state.settings;
  return {
    run: ev.run,
    status: ev.status,
    error: ev.error,
    step: ev.step,
    epoch: ev.epoch,
    config: ev.config,
    draft: mergeDraft(state, ev.config),
    samplesPerSecond: ev.status === 'training' ? state.samplesPerSecond : 0,
    ...(restarted ? startRun(state, ev.run) : {}),
    settings,
    ...(architectureChanged ? { weights: null, classification: null, selectedUnit: null } : {}),
  };
}

const FLOPS_KEY = 'digitrain.flopsPerSecond';

/** The page's storage where there is one (not in Node, where the store is tested). */
function storage(): { getItem(key: string): string | null; setItem(key: string, value: string): void } | undefined {
  return (globalThis as { localStorage?: ReturnType<typeof storage> }).localStorage;
}

function loadFlopsPerSecond(): number | null {
  try {
    const saved = Number(storage()?.getItem(FLOPS_KEY) ?? NaN);
    return Number.isFinite(saved) && saved > 0 ? saved : null;
  } catch {
    return null;
  }
}

function saveFlopsPerSecond(rate: number): void {
  try {
    storage()?.setItem(FLOPS_KEY, String(rate));
  } catch {
    // A storage that refuses only loses the figure across reloads.
  }
}

/** The trainer's rate as operations per second (its model's per sample × samples per second); the last one when it reports none. */
function measuredFlopsPerSecond(state: UiState, samplesPerSecond: number): number | null {
  if (!(samplesPerSecond > 0)) return state.flopsPerSecond;
  const cost = specCost(state.config.model);
  if (cost === null) return state.flopsPerSecond;
  const rate = samplesPerSecond * trainingFlops(cost, 1);
  saveFlopsPerSecond(rate);
  return rate;
}

export function reduceMetrics(state: UiState, ev: MetricsEvent): Partial<UiState> {
  const n = Math.min(ev.loss.length, ev.accuracy.length);
  let added = 0;
  for (let i = 0; i < n; i++) {
    if (appendStep(state.curves, ev.firstStep + i, ev.loss[i], ev.accuracy[i])) added++;
  }
  const lastStep = ev.firstStep + n - 1;
  return {
    // `step` counts completed steps; step numbers start at 1.
    step: Math.max(state.step, lastStep),
    epoch: Math.max(state.epoch, ev.epoch),
    samplesPerSecond: ev.samplesPerSecond,
    flopsPerSecond: measuredFlopsPerSecond(state, ev.samplesPerSecond),
    curvesVersion: added > 0 ? state.curvesVersion + 1 : state.curvesVersion,
    lr: ev.lr !== undefined && n > 0 ? { step: lastStep, value: ev.lr } : state.lr,
  };
}

export function reduceEvaluation(state: UiState, ev: Evaluation): Partial<UiState> {
  const point: EvaluationPoint = { step: ev.step, testLoss: ev.testLoss, testAccuracy: ev.testAccuracy };
  const others = state.evaluations.filter((p) => p.step !== ev.step);
  return { lastEvaluation: ev, evaluations: [...others, point].sort((a, b) => a.step - b.step) };
}

export function reduceWeights(_state: UiState, ev: WeightsSnapshot): Partial<UiState> {
  // Snapshots arrive in order over one channel: the latest is the truth, even after a reset.
  return { weights: ev };
}

export function reduceClassification(c: Classification): Partial<UiState> {
  return { classification: c };
}

export const uiStore = createStore<UiState>(() => initialUiState());
export type UiStore = typeof uiStore;

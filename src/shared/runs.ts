// Runs, kept and compared. Every training run (from a Reset or a Load to the next one) is
// recorded: its settings, its curves (bounded), its evaluations, the final confusion matrix,
// how long it trained and its final weights. The Node side keeps them in a runs folder
// (main/runs/runStore.ts); these are the shapes that cross to the renderer, and the checks of
// what the renderer sends about them.
import type { EvaluationPoint, LoadResult, SaveResult, SettingsChange, TrainConfig } from './contract';
export type { SettingsChange };
import { ContractError } from './contractError';
import { describeValue } from './model/settings';

/** Where a run came from: the app's trainer, or `npm run train -- --record`. */
export type RunSource = 'app' | 'cli';

/** What the runs list shows of a run (the index holds these). */
export interface RunSummary {
  id: string;
  /** Editable; "Run 7" until the learner names it. */
  name: string;
  source: RunSource;
  /** ISO dates: when the run began (Reset or Load), and when it was last saved. */
  started: string;
  updated: string;
  /** The settings it ended with: the model, the optimizer with its schedule, the seed, … */
  config: TrainConfig;
  /**
   * Its settings timeline, oldest first: the settings of each stretch of steps (a change while
   * training, Train with other settings, Restore best). Never empty; the last entry is `config`.
   */
  settings: SettingsChange[];
  /** Where it started from (null: fresh weights from the seed), e.g. "weights file x.safetensors". */
  origin: string | null;
  /** The step its weights are at, and the steps this run took (from its start). */
  step: number;
  steps: number;
  epoch: number;
  /** Seconds spent training (not idle time). */
  seconds: number;
  /** The best test accuracy of any evaluation, and that of the final weights (null: not evaluated). */
  bestTestAccuracy: number | null;
  /** The step of that best evaluation (the first, when several tie), or null. */
  bestStep: number | null;
  finalTestAccuracy: number | null;
  finalTestLoss: number | null;
  /** Bytes on disk (its record and its weights). */
  bytes: number;
  /** False when its weights file is missing: its curves can be compared, its weights not reopened. */
  hasWeights: boolean;
}

/** A run's curves and results, as overlaid in the Runs panel. */
export interface RunRecord extends RunSummary {
  /** Per-step training loss and batch accuracy, downsampled (each point the mean of its steps). */
  history: { step: number[]; loss: number[]; accuracy: number[] };
  /** Progress against time, to draw curves by epoch or by wall time (training seconds). */
  timeline: { step: number[]; epoch: number[]; seconds: number[] };
  evaluations: EvaluationPoint[];
  /** The final evaluation's 10×10 confusion matrix (row = label), or null. */
  confusion: number[] | null;
}

/** What a reopened run brings back besides its weights: its name, and what it stored to draw at once (its curves, test points, settings timeline). */
export interface ReopenedRun {
  name: string;
  history?: RunRecord['history'];
  evaluations?: EvaluationPoint[];
  settings?: SettingsChange[];
}

export interface RunProblem {
  /** The run it concerns, when known (a damaged file can still be deleted by id). */
  id: string | null;
  message: string;
}

export interface RunList {
  runs: RunSummary[];
  /** Run files that could not be read: skipped, and left on disk untouched. */
  problems: RunProblem[];
  /** Where the runs are kept (shown to the learner). */
  folder: string;
  /** Disk use of the kept runs, and the bound past which the oldest are removed. */
  bytes: number;
  maxBytes: number;
}

/** The run requests of the contract (DigitrainApi extends this). */
export interface RunsApi {
  listRuns(): Promise<RunList>;
  /** Curves and results of these runs, in the order asked (at most MAX_COMPARED_RUNS). */
  getRuns(ids: string[]): Promise<RunRecord[]>;
  renameRun(id: string, name: string): Promise<RunList>;
  /** Removes the run's files (also those of a damaged run). */
  deleteRun(id: string): Promise<RunList>;
  /** Replaces the model with the run's final weights and settings (like loading its weights file). */
  openRun(id: string): Promise<LoadResult>;
  /**
   * The run as a file, as a download or through a save dialog: its record (JSON) with its weights
   * (the default), its curves as CSV, or a TensorBoard event file.
   */
  exportRun(id: string, format?: RunExportFormat): Promise<SaveResult>;
}

/** What a run is exported as: Digitrain's own record (with its weights), CSV, or TensorBoard events. */
export type RunExportFormat = 'record' | 'csv' | 'tensorboard';
export const RUN_EXPORT_FORMATS: readonly RunExportFormat[] = ['record', 'csv', 'tensorboard'];

export function validateRunExportFormat(value: unknown): RunExportFormat {
  if (value === undefined) return 'record';
  if (typeof value !== 'string' || !(RUN_EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new ContractError(`a run's export format must be one of ${RUN_EXPORT_FORMATS.join(', ')} (got ${describeValue(value)})`);
  }
  return value as RunExportFormat;
}

export const RUN_LIMITS = {
  /** Characters in a run's name. */
  nameChars: 80,
  /** Runs compared at once. */
  compared: 8,
  /** Runs kept, whatever their size. */
  runs: 1000,
  /** Points of a run's per-step history (the session's DownsampledHistory capacity). */
  historyPoints: 2001,
  /** Evaluations kept in a record (more are thinned, the last always kept). */
  evaluations: 1000,
  /** Entries of a run's settings timeline (past it, the oldest changes after the first are dropped). */
  settingsChanges: 200,
  /** Points of a run's timeline. */
  timelinePoints: 1000,
  /** A record file on disk larger than this is damaged (a full record is about 150 kB). */
  recordBytes: 4 * 1024 * 1024,
  /** The index file, likewise (about 1.5 kB a run). */
  indexBytes: 8 * 1024 * 1024,
  /** Default bound on the runs folder. */
  defaultMaxBytes: 500 * 1024 * 1024,
} as const;

/** Run ids are made by the Node side (letters and digits); anything else names no run. */
const RUN_ID = /^[a-z0-9]{6,32}$/;

/**
 * The ids this app gives runs (training/runTracker.ts: a UUID's 32 hex digits). Only files
 * named with one are ever removed without being asked (a weights file whose record never
 * landed): `important.safetensors` is a valid id to look up, but no run of ours.
 */
export function isAppRunId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID.test(value);
}

export function validateRunId(value: unknown): string {
  if (!isRunId(value)) throw new ContractError(`not a run id: ${describeValue(value)}`);
  return value;
}

/** Why `name` cannot name a run, or null. */
export function runNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return `must be text (got ${describeValue(name)})`;
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'must not be empty';
  if (trimmed.length > RUN_LIMITS.nameChars) return `must be at most ${RUN_LIMITS.nameChars} characters (got ${trimmed.length})`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(trimmed)) return 'must be one line of text without control characters';
  return null;
}

export function validateRunName(value: unknown): string {
  const problem = runNameProblem(value);
  if (problem) throw new ContractError(`a run's name ${problem}`);
  return (value as string).trim();
}

export function validateRunIds(value: unknown): string[] {
  if (!Array.isArray(value)) throw new ContractError(`runs to compare must be a list of ids (got ${describeValue(value)})`);
  if (value.length > RUN_LIMITS.compared) throw new ContractError(`at most ${RUN_LIMITS.compared} runs can be compared at once (got ${value.length})`);
  const ids = value.map(validateRunId);
  if (new Set(ids).size !== ids.length) throw new ContractError('a run is asked for twice');
  return ids;
}

/** The settings in force at `step` (the entry that began at or before it; the first one before the first entry). */
export function configAt(settings: readonly SettingsChange[], step: number): TrainConfig {
  let found = settings[0];
  for (const entry of settings) if (entry.step <= step) found = entry;
  return found.config;
}

/** The settings that produced a run's best test accuracy (its last settings when it was never evaluated). */
export function settingsAtBest(run: Pick<RunSummary, 'settings' | 'bestStep' | 'config'>): TrainConfig {
  return run.bestStep === null || run.settings.length === 0 ? run.config : configAt(run.settings, run.bestStep);
}

/** The steps from which a run's settings changed (the first entry is where they began, not a change). */
export function changeSteps(run: Pick<RunSummary, 'settings'>): number[] {
  return run.settings.slice(1).map((entry) => entry.step);
}

/** Adds `config` from `step` on to a timeline: nothing when it is what is in force, a replacement when a change is already there at that step. */
export function withSettings(settings: readonly SettingsChange[], step: number, config: TrainConfig): SettingsChange[] {
  const last = settings[settings.length - 1];
  if (last && sameSettings(last.config, config)) return [...settings];
  const out = last && last.step >= step ? settings.filter((entry) => entry.step < step) : [...settings];
  const before = out[out.length - 1];
  if (before && sameSettings(before.config, config)) return out;
  out.push({ step, config: structuredClone(config) });
  if (out.length > RUN_LIMITS.settingsChanges) out.splice(1, out.length - RUN_LIMITS.settingsChanges);
  return out;
}

/** Whether two configs are the same settings (compared by value). */
export function sameSettings(a: TrainConfig, b: TrainConfig): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with every object's keys sorted: the same settings built in another order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}

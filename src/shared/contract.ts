// The one typed contract between the renderer and the Node side.
//
// The renderer sees `DigitrainApi` as `window.digitrain` (Electron preload or the
// web host's WebSocket client). Both ends import these types; nothing else
// crosses the boundary. Payloads that enter the Node side are validated there
// (see validate.ts), because the renderer is not trusted to send well-formed data.

import { DEFAULT_MODEL, sameModel, type ModelSpec } from './model/spec';
import type { InspectApi } from './inspect';
import type { MyDigitsApi, MyDigitsResult } from './myDigits';
import { defaultOptimizer, type OptimizerConfig } from './optimizers';
import type { RunsApi, RunSummary } from './runs';
import { TRAIN_SETTINGS } from './trainSettings';
import type { InsightApi } from './insight/api';
import type { StepGraphApi } from './stepGraph';
import type { HealthEvent } from './insight/health';
import type { CancelApi } from './cancel';

export type { ModelSpec, OptimizerConfig };

export const CONTRACT_VERSION = 3;

/** Steps one step() request may take: Step (1) and Step ×STEP_BURST in the UI, a little headroom beyond. */
export const STEP_BURST = 10;
export const MAX_STEPS_PER_REQUEST = 100;

/** Everything that defines a training run. The network is `model` and `seed` (changing them needs reset()); the rest may change at any time, also while training (train() applies it at the next step). */
export interface TrainConfig {
  /** The network as data: input shape and named layers. */
  model: ModelSpec;
  optimizer: OptimizerConfig;
  batchSize: number;
  /** Epochs to train, or null to train until stopped. */
  epochs: number | null;
  /** Seeds the initial weights and the batch order. */
  seed: number;
  /** Evaluate the full test set every this many steps. */
  evalEvery: number;
  /** Label smoothing of the training loss (0 = none), as PyTorch's cross_entropy(label_smoothing=…). */
  labelSmoothing: number;
  /** Early stopping: stop when the test loss has not improved for this many evaluations; null = off. */
  earlyStopping: number | null;
  /** Fine-tuning on the learner's own digits: the share of each batch drawn from them; null = off. */
  mixMyDigits: number | null;
}

/** A fresh copy of the default settings: the seed's MLP and Adam (lr 1e-3), batches of 32. */
export function defaultConfig(): TrainConfig {
  return {
    model: structuredClone(DEFAULT_MODEL) as ModelSpec,
    optimizer: defaultOptimizer('adam'),
    batchSize: TRAIN_SETTINGS.batchSize.default,
    epochs: null,
    seed: TRAIN_SETTINGS.seed.default,
    evalEvery: TRAIN_SETTINGS.evalEvery.default,
    labelSmoothing: TRAIN_SETTINGS.labelSmoothing.default,
    earlyStopping: null,
    mixMyDigits: null,
  };
}

/** Settings that define the network itself (its initial weights): changing them needs reset(). */
export const NETWORK_KEYS = ['model', 'seed'] as const satisfies readonly (keyof TrainConfig)[];

/** Which network-defining settings differ between `current` and `next`. */
export function networkChanges(current: TrainConfig, next: TrainConfig): (typeof NETWORK_KEYS)[number][] {
  const changed: (typeof NETWORK_KEYS)[number][] = [];
  if (!sameModel(current.model, next.model)) changed.push('model');
  if (current.seed !== next.seed) changed.push('seed');
  return changed;
}

export type Status = 'idle' | 'training' | 'stopping' | 'error';

/** Per-step values for a run of consecutive steps: loss[i] and accuracy[i] belong to step firstStep + i. */
export interface MetricsEvent {
  firstStep: number;
  loss: number[];
  /** Batch accuracy in [0, 1]. */
  accuracy: number[];
  /** Training examples per second of wall time over the last few seconds, pauses and evaluations included: the rate the user gets. */
  samplesPerSecond: number;
  /** Fractional epochs completed after the last step of this event (step * batchSize / 60000). */
  epoch: number;
  /** The learning rate the last step of this event used (its schedule's, at that step); the Node side always sends it. */
  lr?: number;
}

export interface SamplePrediction {
  /** Index into the MNIST test set. */
  index: number;
  label: number;
  predicted: number;
  /** Probability of the predicted class. */
  confidence: number;
  /** 28×28 greyscale, 0..255, row-major, as in the idx file. */
  pixels: Uint8Array;
}

export interface Evaluation {
  step: number;
  testLoss: number;
  testAccuracy: number;
  /** 10×10 row-major counts: confusion[label * 10 + predicted]. Sums to the test-set size. */
  confusion: number[];
  /** Accuracy of each true class. */
  perClassAccuracy: number[];
  samples: SamplePrediction[];
  /** The same weights on the learner's own digits (absent or null when they have none). */
  myDigits?: MyDigitsResult | null;
}

/** A named tensor crossing the boundary: float32, row-major. */
export interface TensorView {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * A throttled copy of the weights the network view draws (those of the layers whose kind
 * draws weights, e.g. `l1.weight` [hidden, 784]), in PyTorch's layout [out, in].
 */
export interface WeightsSnapshot {
  step: number;
  tensors: TensorView[];
}

export interface Classification {
  predicted: number;
  probabilities: number[];
  /** The output of every layer for this input (name = the layer's name, shape without the batch), for the network view. */
  activations: TensorView[];
  /**
   * How far the input is from the nearest training digit (Euclidean, over pixels in [0, 1]; see
   * main/training/nearestDigit.ts): one half of the out-of-distribution check, shared/insight/outOfDistribution.ts.
   */
  nearestTrainingDistance?: number;
  /** 1 − the largest cosine similarity to a training digit (main/training/nearestDigit.ts), the same check's other measure. */
  nearestTrainingCosineDistance?: number;
}

export interface EvaluationPoint {
  step: number;
  testLoss: number;
  testAccuracy: number;
}

/**
 * One run: the history of one model, from the moment it was built (the first model, a Reset) or
 * loaded from a file. A new run's curves start afresh; the UI keeps the previous run's for comparison.
 */
export interface RunInfo {
  /** Counts the runs of this session (the first is 1). */
  id: number;
  /** What began it: the app's start, Reset, Load (a file or a kept run), or Restore best (the best weights of the run before). */
  origin: 'start' | 'reset' | 'load' | 'best';
  /** The weights file's name, for a run that began with Load. */
  file: string | null;
  /**
   * Its id in the runs folder (shared/runs.ts): the pages call the run by the name the runs
   * list gives it ("Run 3"), in the legends too. Absent from hosts before issue 25.
   */
  recordId?: string;
}

/**
 * One entry of a run's settings timeline: the settings it trained with from `step` on (the
 * first step they applied to) until the next entry. A change while training applies from the
 * next step; Restore best keeps the entries up to the best step.
 */
export interface SettingsChange {
  step: number;
  config: TrainConfig;
}

export interface AppState {
  version: typeof CONTRACT_VERSION;
  status: Status;
  run: RunInfo;
  /** The message of the last error while status is 'error'. */
  error: string | null;
  config: TrainConfig;
  step: number;
  epoch: number;
  lastEvaluation: Evaluation | null;
  /** What the charts need to redraw after a reload: per-step values (downsampled on the Node side) and all evaluations. */
  history: { step: number[]; loss: number[]; accuracy: number[]; evaluations: EvaluationPoint[] };
  /** The run's settings timeline (oldest first; empty before its first step): the charts mark each change. */
  settings: SettingsChange[];
  /**
   * The weights the network view draws, as now: in the answer to getState(), so that a page
   * loaded while idle shows them at once. Null in the answers to train/stop/reset, which the
   * `weights` events follow.
   */
  weights: WeightsSnapshot | null;
}

export interface SaveOptions {
  /** Also store the optimizer state (as `optim.`-prefixed tensors) so training can resume exactly. */
  includeOptimizer: boolean;
}

export type ExportFormat = 'pytorch' | 'onnx';

export interface SaveResult {
  /** false when the user cancelled the dialog. */
  saved: boolean;
  /** File name (web: the download's name; Electron: the path chosen). */
  name: string | null;
  /** The file written beside it, if any (the PyTorch export's model.py). */
  companion?: string | null;
}

/** A weights file in memory: what the browser uploads or downloads (Electron reads and writes files in main instead). */
export interface WeightsFileBytes {
  /** A file name without directories. */
  name: string;
  bytes: Uint8Array;
}

export interface LoadResult {
  loaded: boolean;
  name: string | null;
  /** The model's test accuracy right after the load, when loaded. */
  evaluation: Evaluation | null;
}

/** Events pushed from the Node side. */
export interface EventMap {
  status: { status: Status; error: string | null; step: number; epoch: number; config: TrainConfig; run: RunInfo };
  metrics: MetricsEvent;
  evaluation: Evaluation;
  weights: WeightsSnapshot;
  /** A failure that is not the answer to a request (e.g. the worker died). */
  error: { message: string };
  /** A run was kept (or updated) in the runs folder: the Runs panel lists it. */
  runSaved: RunSummary;
  /** Training health samples (issue 18), with the metrics, and where a divergence started. */
  health: HealthEvent;
  /**
   * Emitted by the browser client only (never by the Node side): the WebSocket to the
   * web host opened or dropped. After `connected: true` following a drop, reload with getState().
   */
  connection: { connected: boolean };
}
export type EventName = keyof EventMap;
/** The events the Node side emits (`connection` is the browser client's own). */
export type NodeEventName = Exclude<EventName, 'connection'>;
/** Every Node-side event, checked against EventMap by the compiler: a new event cannot be forgotten by a host that forwards them. */
export const NODE_EVENT_NAMES = Object.keys({
  status: true,
  metrics: true,
  evaluation: true,
  weights: true,
  error: true,
  runSaved: true,
  health: true,
} satisfies Record<NodeEventName, true>) as NodeEventName[];

/**
 * Requests the renderer can make. Each resolves with its result or rejects with an Error
 * whose message is meant for the user.
 */
export interface DigitrainApi extends RunsApi, MyDigitsApi, InspectApi, InsightApi, StepGraphApi, CancelApi {
  getState(): Promise<AppState>;
  /**
   * Start, or resume after stop, with these settings; while training, apply them at the next
   * step (as PyTorch lets a param group's lr change between steps). A new network (model or
   * seed) is refused: it needs reset().
   */
  train(config: Partial<TrainConfig>): Promise<AppState>;
  /**
   * Settings edited while training, for the next step; never starts training. A Stop (or the
   * run's end) that crossed them on the way leaves the trainer idle: they wait in the page's
   * draft for the next Train. (train() would resume: issue 25, Stop must win.)
   */
  applySettings(config: Partial<TrainConfig>): Promise<AppState>;
  /** While idle: exactly `count` training steps (1 to MAX_STEPS_PER_REQUEST) with these settings, every panel updated. */
  step(config: Partial<TrainConfig>, count: number): Promise<AppState>;
  stop(): Promise<AppState>;
  /** Back to the weights (and optimizer state) of the evaluation with the lowest test loss; the curves after it are cut. */
  restoreBest(): Promise<AppState>;
  /** Fresh model and optimizer from the (merged) config; allowed only when not training. */
  reset(config: Partial<TrainConfig>): Promise<AppState>;
  evaluate(): Promise<Evaluation>;
  /** 784 values in [0, 1], row-major, MNIST convention (ink = 1). */
  classify(pixels: Float32Array): Promise<Classification>;
  saveWeights(options: SaveOptions): Promise<SaveResult>;
  /**
   * Replaces the model from a weights file, validated first (a bad file changes nothing).
   * Without `file` the Node side asks the user (Electron's open dialog); the browser client
   * lets the user pick a file and passes its bytes.
   */
  loadWeights(file?: WeightsFileBytes): Promise<LoadResult>;
  exportWeights(format: ExportFormat): Promise<SaveResult>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

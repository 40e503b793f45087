// The one typed contract between the renderer and the Node side.
//
// The renderer sees `DigitrainApi` as `window.digitrain` (Electron preload or the
// web host's WebSocket client). Both ends import these types; nothing else
// crosses the boundary. Payloads that enter the Node side are validated there
// (see validate.ts), because the renderer is not trusted to send well-formed data.

export const CONTRACT_VERSION = 1;

export type OptimizerName = 'adam' | 'sgd';

/** Everything that defines a training run. Architecture = `hidden`; the rest may change between Stop and Train. */
export interface TrainConfig {
  /** Hidden units of the MLP 784 → hidden → ReLU → 10. Changing it needs reset(). */
  hidden: number;
  lr: number;
  batchSize: number;
  optimizer: OptimizerName;
  /** SGD momentum (ignored by Adam). */
  momentum: number;
  /** Epochs to train, or null to train until stopped. */
  epochs: number | null;
  seed: number;
  /** Evaluate the full test set every this many steps. */
  evalEvery: number;
}

export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze({
  hidden: 128,
  lr: 1e-3,
  batchSize: 32,
  optimizer: 'adam',
  momentum: 0.9,
  epochs: null,
  seed: 0,
  evalEvery: 1000,
});

export type Status = 'idle' | 'training' | 'stopping' | 'error';

/** Per-step values for a run of consecutive steps: loss[i] and accuracy[i] belong to step firstStep + i. */
export interface MetricsEvent {
  firstStep: number;
  loss: number[];
  /** Batch accuracy in [0, 1]. */
  accuracy: number[];
  /** Throughput over the steps in this event. */
  samplesPerSecond: number;
  /** Fractional epochs completed after the last step of this event (step * batchSize / 60000). */
  epoch: number;
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
}

/** A throttled copy of the weights, for the network view. Float32 row-major, PyTorch layout [out, in]. */
export interface WeightsSnapshot {
  step: number;
  hidden: number;
  l1Weight: Float32Array; // [hidden, 784]
  l2Weight: Float32Array; // [10, hidden]
}

export interface Classification {
  predicted: number;
  probabilities: number[];
  /** Hidden-layer activations after ReLU (length = hidden), for the network view. */
  hidden: number[];
}

export interface EvaluationPoint {
  step: number;
  testLoss: number;
  testAccuracy: number;
}

export interface AppState {
  version: typeof CONTRACT_VERSION;
  status: Status;
  /** The message of the last error while status is 'error'. */
  error: string | null;
  config: TrainConfig;
  step: number;
  epoch: number;
  lastEvaluation: Evaluation | null;
  /** What the charts need to redraw after a reload: per-step values (downsampled on the Node side) and all evaluations. */
  history: { step: number[]; loss: number[]; accuracy: number[]; evaluations: EvaluationPoint[] };
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
  status: { status: Status; error: string | null; step: number; epoch: number; config: TrainConfig };
  metrics: MetricsEvent;
  evaluation: Evaluation;
  weights: WeightsSnapshot;
  /** A failure that is not the answer to a request (e.g. the worker died). */
  error: { message: string };
  /**
   * Emitted by the browser client only (never by the Node side): the WebSocket to the
   * web host opened or dropped. After `connected: true` following a drop, reload with getState().
   */
  connection: { connected: boolean };
}
export type EventName = keyof EventMap;

/**
 * Requests the renderer can make. Each resolves with its result or rejects with an Error
 * whose message is meant for the user.
 */
export interface DigitrainApi {
  getState(): Promise<AppState>;
  /** Start, or resume after stop, with these settings. Architecture changes are refused: they need reset(). */
  train(config: Partial<TrainConfig>): Promise<AppState>;
  stop(): Promise<AppState>;
  /** Fresh model and optimizer from the (merged) config; allowed only when not training. */
  reset(config: Partial<TrainConfig>): Promise<AppState>;
  evaluate(): Promise<Evaluation>;
  /** 784 values in [0, 1], row-major, MNIST convention (ink = 1). */
  classify(pixels: number[]): Promise<Classification>;
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

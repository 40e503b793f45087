// The training worker's state machine: owns the trainer, runs the loop in slices, and
// turns what happens into contract events. When the test set is scored follows
// shared/evaluationRhythm.ts; settings other than the network apply at the next step.
//
// The loop runs steps for about SLICE_MS, then yields with setImmediate so queued
// commands (Stop above all) are handled between steps. Nothing here touches the
// message port: the worker entry wires `emit` to postMessage, so this class can be
// driven directly in tests as well.
import { trainingProblem } from '../../shared/model/cost';
import {
  CONTRACT_VERSION,
  defaultConfig,
  networkChanges,
  type AppState,
  type Classification,
  type EventMap,
  type EventName,
  type Evaluation,
  type EvaluationPoint,
  type RunInfo,
  type Status,
  type TrainConfig,
  type WeightsSnapshot,
} from '../../shared/contract';
import { evaluationDue, type RhythmState } from '../../shared/evaluationRhythm';
import type { OptimizerState } from '../../engine/optim';
import type { RngState } from '../../engine/data/rng';
import type { MnistSet } from '../../engine/data/mnist';
import { capMessage, messageOf } from '../../shared/messageOf';
import { describeModel } from '../../shared/model/describe';
import { viewedWeights } from '../../shared/model/views';
import type { MyDigitsResult } from '../../shared/myDigits';
import type { RunToSave } from '../runs/runStore';
import type { ReopenedRun } from '../../shared/runs';
import { BestCheckpoint } from './bestCheckpoint';
import { DownsampledHistory } from './history';
import { MetricsBatcher } from './metricsBatcher';
import { RateMeter } from './rateMeter';
import { RunTracker } from './runTracker';
import type { Checkpoint, RunSettings, StepResult } from './trainer';
// Issue 18: training health, the divergence's origin, why this answer.
import type { Explanation } from '../../shared/insight/explain';
import type { HealthHistoryView } from '../../shared/insight/health';
import type { SpecModel } from '../model/specModel';
import type { StepGraph, StepGraphQuery } from '../../shared/stepGraph';
import { DivergedError } from './divergence';
import { divergenceOrigin, HealthMonitor, type StepProbe } from './health';

/** A parameter as the trainer holds it (a Tensor qualifies). */
export interface ParamSource {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** What the session (and the weights commands) need of a Trainer (trainer.ts); tests drive it with fakes. */
export interface TrainerLike {
  readonly config: TrainConfig;
  readonly step: number;
  readonly epoch: number;
  updateConfig(settings: Partial<RunSettings>): void;
  trainStep(probe?: StepProbe): StepResult;
  /** The engine model, for the health monitor (fakes in tests may have none). */
  readonly model?: SpecModel;
  /** Why this answer: saliency and contributions (explain.ts). */
  explain?(pixels: Float32Array): Explanation;
  /** How it works: one step on a test digit, recorded (howItWorks/stepGraph.ts). */
  stepGraph?(index: number): StepGraph;
  evaluate(): Evaluation;
  classify(pixels: Float32Array): Classification;
  /** The model's state dict by PyTorch name. */
  weights(): ReadonlyMap<string, ParamSource>;
  optimizerState(): OptimizerState;
  /** Where the run's random stream is (fakes in tests may have none). */
  randomState?(): RngState;
  restore(checkpoint: Checkpoint): void;
  /** A copy of where the run is (weights, optimizer state, step) that later steps do not touch. */
  checkpoint(): Checkpoint;
  /** The learner's digits to mix into batches while `mixMyDigits` is set. */
  setMyDigits(set: MnistSet | null): void;
  /** The predicted class of every example of `set`. */
  predict(set: MnistSet): Int32Array;
}

export type Emit = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/** A run as it stands, to keep (runs/runStore.ts): its record and the live weights to write beside it. */
export interface RunCheckpoint {
  run: RunToSave;
  config: TrainConfig;
  step: number;
  testAccuracy: number | null;
  weights: ReadonlyMap<string, ParamSource>;
  /** The optimizer's state and the random stream, kept with the weights (null: not available). */
  optimizer: OptimizerState | null;
  random: RngState | null;
}

/** The learner's digits as the worker holds them: a set like MNIST's and each one's id. */
export interface MyDigitsData {
  set: MnistSet;
  ids: string[];
}

export interface SessionOptions {
  createTrainer(config: TrainConfig): TrainerLike;
  emit: Emit;
  now?: () => number;
  /** When the test set is scored (default: shared/evaluationRhythm.ts); tests that count evaluations use steps only. */
  evaluationDue?: (state: RhythmState) => boolean;
  /** Called at each checkpoint of a run (after Stop, at the end, before Reset/Load, and now and then while training). */
  recordRun?(checkpoint: RunCheckpoint): void;
}

/** Time spent stepping before yielding to the message queue. */
const SLICE_MS = 20;
/**
 * At most ~10 metrics messages a second (the renderer folds events in at about that rate anyway,
 * state/connect.ts). Each post costs the training thread ~0.3 ms: at 20 a second, the app's
 * worker measured ~2 % behind the plain loop for it and the health samples (bench appVsLoop).
 */
export const METRICS_INTERVAL_MS = 100;
/**
 * At most 2 weight snapshots a second, the rate the weight tiles redraw at: each is ~400 kB,
 * and every one the UI would not draw still costs the renderer its receipt and garbage.
 */
export const SNAPSHOT_INTERVAL_MS = 500;
/** After Stop, evaluate unless training resumes within this delay (a quick Stop/Train pays nothing). */
const EVALUATE_AFTER_STOP_MS = 300;
/** After Step, likewise, but longer: a learner pressing Step again and again should not wait for evaluations. */
const EVALUATE_AFTER_STEPS_MS = 1500;
/** While training, a run is recorded at an evaluation at most this often (a crash loses at most this much). */
const CHECKPOINT_WHILE_TRAINING_MS = 30_000;

export class TrainingSession {
  private status: Status = 'idle';
  private error: string | null = null;
  private config: TrainConfig = defaultConfig();
  private trainer: TrainerLike | null = null;
  private history = new DownsampledHistory();
  private evaluations: EvaluationPoint[] = [];
  private lastEvaluation: Evaluation | null = null;
  private metrics = new MetricsBatcher();
  private readonly rate = new RateMeter();
  /** The run the curves belong to, as the pages know it (a Reset, a Load or Restore best begins another). */
  private run: RunInfo = { id: 1, origin: 'start', file: null };
  /** The evaluation rhythm's clock: training time and steps since the last evaluation or Train. */
  private evalClockStart = 0;
  private stepsSinceEvaluation = 0;
  private lastEvaluationMs = 0;
  private lastMetricsAt = 0;
  private lastSnapshotAt = 0;
  private loopScheduled = false;
  private evaluateAfterStop: ReturnType<typeof setTimeout> | null = null;
  private readonly now: () => number;
  /** The run as it is kept in the runs folder (runs/runStore.ts). */
  private tracker: RunTracker;
  private best = new BestCheckpoint();
  private myDigits: MyDigitsData | null = null;
  private readonly health: HealthMonitor;

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? (() => performance.now());
    this.tracker = new RunTracker(null, 0, this.now);
    this.run.recordId = this.tracker.id;
    this.health = new HealthMonitor(this.now);
  }

  /** Why the live model answers what it does for `pixels` (issue 18). */
  explain(pixels: Float32Array): Explanation {
    const trainer = this.ensureTrainer();
    if (!trainer.explain) throw new Error('this trainer cannot explain its answers');
    return trainer.explain(pixels);
  }

  /** How it works (issue 27): one step on test digit `index` as the engine records it; the run does not change. */
  stepGraph(query: StepGraphQuery): StepGraph {
    const trainer = this.ensureTrainer();
    if (!trainer.stepGraph) throw new Error('this trainer cannot show its steps');
    return trainer.stepGraph(query.index);
  }

  /** The run's training health so far (issue 18). */
  getHealth(): HealthHistoryView {
    return this.health.view(this.run.id);
  }

  get isTraining(): boolean {
    return this.status === 'training';
  }

  /** The settings the run goes with now. */
  get currentConfig(): TrainConfig {
    return this.config;
  }

  /** Everything a page needs to draw the run, the weights included (the getState request). */
  getState(): AppState {
    // Plain copies: a reply is structured-cloned on its way, and the host passes it on to Electron's IPC, which cannot send shared memory.
    return { ...this.state(), weights: this.snapshot((values) => values.slice()) };
  }

  /** The answer to train/stop/reset: the weights follow as events. */
  private state(): AppState {
    return {
      version: CONTRACT_VERSION,
      status: this.status,
      run: { ...this.run },
      error: this.error,
      config: structuredClone(this.config),
      step: this.trainer?.step ?? 0,
      epoch: this.trainer?.epoch ?? 0,
      lastEvaluation: this.lastEvaluation,
      history: { ...this.history.snapshot(), evaluations: this.evaluations.slice() },
      settings: this.tracker.settings,
      weights: null,
    };
  }

  /**
   * Starts or resumes training with `patch` merged into the settings. While training, the
   * settings apply at the next step instead (the loop reads them between steps); a new
   * network (model or seed) is refused either way.
   */
  train(patch: Partial<TrainConfig>): AppState {
    this.applySettings(patch);
    if (this.status === 'training') {
      // Every window learns the new settings from the status event.
      this.setStatus('training');
      return this.state();
    }
    this.ensureTrainer();
    // Patience counts from the learner's Train (or Step): after an early stop, training goes on until it runs out again.
    this.best.restartPatience();
    this.cancelEvaluateAfterStop();
    this.error = null;
    this.tracker.startTraining();
    this.setStatus('training');
    const now = this.now();
    this.lastMetricsAt = this.lastSnapshotAt = now;
    this.rate.start(now);
    this.restartEvaluationClock(now);
    this.scheduleLoop();
    return this.state();
  }

  /**
   * Settings edited while training, applied at the next step. Not training (a Stop, the run's
   * end or early stopping got there first), nothing happens: they are not a Train, and stay in
   * the page's draft for the next one.
   */
  applyLive(patch: Partial<TrainConfig>): AppState {
    if (this.status !== 'training') return this.state();
    return this.train(patch);
  }

  /**
   * Exactly `count` training steps while idle, with these settings, then every panel's update:
   * the metrics of each step, a weights snapshot and a status. Evaluations fall where the
   * training loop would put them; the test set is scored once the learner pauses.
   */
  step(patch: Partial<TrainConfig>, count: number): AppState {
    if (this.status === 'training') throw new Error('training is running: stop it to take single steps');
    this.applySettings(patch);
    this.best.restartPatience();
    this.cancelEvaluateAfterStop();
    this.error = null;
    const trainer = this.ensureTrainer();
    const started = this.now();
    this.rate.start(started);
    try {
      for (let i = 0; i < count; i++) {
        this.takeStep(trainer);
        if (this.config.epochs !== null && trainer.epoch >= this.config.epochs) break;
        if (trainer.step % this.config.evalEvery === 0) this.evaluate();
        if (this.best.shouldStop(this.config.earlyStopping)) break;
      }
    } catch (error) {
      this.tracker.addTraining(this.now() - started);
      this.fail(error);
      return this.state();
    }
    this.tracker.addTraining(this.now() - started);
    this.flushMetrics();
    this.postSnapshot();
    this.setStatus('idle');
    this.scheduleEvaluateAfterStop(EVALUATE_AFTER_STEPS_MS);
    return this.state();
  }

  /** Train's and Step's checks and settings (also while training): the network must be the same one, epochs must remain. */
  private applySettings(patch: Partial<TrainConfig>): void {
    const next = { ...this.config, ...patch };
    if (this.trainer) {
      const changed = networkChanges(this.config, next);
      if (changed.length > 0) throw new Error(`a new ${changed.map((k) => NETWORK_KEY_NAMES[k]).join(' and ')} is a new network: press Reset to build it, then Train`);
    }
    if (next.epochs !== null && (this.trainer?.epoch ?? 0) >= next.epochs) {
      throw new Error(`already trained ${next.epochs} epoch(s): raise epochs (or train until stopped), or reset`);
    }
    if (!this.trainer && patch.batchSize !== undefined) {
      const problem = trainingProblem(next.model, next.batchSize);
      if (problem) throw new Error(problem);
    }
    if (next.mixMyDigits !== null && !this.myDigits) throw new Error('there are no digits of yours to mix in: label some in "My digits" first, or untick mixing');
    const { model: _model, seed: _seed, ...settings } = patch;
    if (this.trainer && Object.keys(settings).length > 0) {
      this.trainer.updateConfig(settings);
      // A divergence after this is blamed on the steps after it only (issue 25).
      if (JSON.stringify({ ...this.config, model: null }) !== JSON.stringify({ ...next, model: null })) this.health.settingsChanged(this.run.id, this.trainer.step);
    }
    this.config = next;
    // The run's settings timeline: these apply from the next step on.
    this.tracker.noteSettings((this.trainer?.step ?? this.tracker.startStep) + 1, next);
  }

  /** The weights of the evaluation with the lowest test loss, with the run rewound to its step (see BestCheckpoint). */
  restoreBest(): AppState {
    if (this.status === 'training') throw new Error('cannot restore while training: stop first');
    const best = this.best.current;
    const trainer = this.trainer;
    if (!best || !trainer) throw new Error('there is no evaluation to go back to yet');
    if (best.evaluation.step === trainer.step) return this.state();
    this.cancelEvaluateAfterStop();
    // The run as it ended is kept whole; what follows is a new run from the best weights.
    this.checkpointRun();
    // The optimizer's state only if it is still the same optimizer (a switched one starts afresh from here).
    const sameOptimizer = best.checkpoint.optimizer?.kind === trainer.optimizerState().kind;
    trainer.restore({ ...best.checkpoint, optimizer: sameOptimizer ? best.checkpoint.optimizer : null });
    this.best.rewound();
    this.history.truncate(best.evaluation.step);
    this.evaluations = this.evaluations.filter((e) => e.step <= best.evaluation.step);
    this.lastEvaluation = best.evaluation;
    this.metrics = new MetricsBatcher();
    // Its settings timeline is the run before's up to the best step; Train or Step notes the settings it goes on with.
    this.tracker = new RunTracker(`the best weights (step ${best.evaluation.step}) of the run before`, trainer.step, this.now, 'app', new Date(), this.tracker.settings);
    // For the pages a new run (the one before stays greyed), whose curves so far are the old run's up to the best step.
    this.run = { id: this.run.id + 1, origin: 'best', file: null, recordId: this.tracker.id };
    this.error = null;
    this.setStatus('idle');
    this.postSnapshot();
    return this.getState();
  }

  /** Stops between two steps; a no-op that reports the state when not training. */
  stop(): AppState {
    if (this.status !== 'training') return this.state();
    this.setStatus('stopping');
    this.tracker.stopTraining();
    this.flushMetrics();
    this.postSnapshot();
    this.setStatus('idle');
    this.scheduleEvaluateAfterStop(EVALUATE_AFTER_STOP_MS);
    return this.state();
  }

  reset(patch: Partial<TrainConfig>): AppState {
    if (this.status === 'training') throw new Error('cannot reset while training: stop first');
    this.cancelEvaluateAfterStop();
    const config = { ...this.config, ...patch };
    const trainer = this.createTrainer(config);
    this.checkpointRun();
    this.tracker = new RunTracker(null, 0, this.now);
    this.best = new BestCheckpoint();
    this.config = config;
    this.trainer = trainer;
    this.startRun('reset', null);
    this.setStatus('idle');
    this.postSnapshot();
    return this.state();
  }

  evaluate(): Evaluation {
    this.flushMetrics();
    const trainer = this.ensureTrainer();
    const startedAt = this.now();
    const evaluation: Evaluation = { ...trainer.evaluate(), myDigits: this.myDigitsResult(trainer) };
    const now = this.now();
    this.lastEvaluationMs = now - startedAt;
    this.restartEvaluationClock(now);
    this.recordEvaluation(evaluation);
    return evaluation;
  }

  /** The learner's digits, for mixing into batches and measuring on (null: they have none). */
  setMyDigits(digits: MyDigitsData | null): void {
    this.myDigits = digits && digits.set.count > 0 ? digits : null;
    this.trainer?.setMyDigits(this.myDigits?.set ?? null);
  }

  /** The live model on the learner's digits now (null when they have none). */
  evaluateMyDigits(): MyDigitsResult | null {
    return this.myDigitsResult(this.ensureTrainer());
  }

  private myDigitsResult(trainer: TrainerLike): MyDigitsResult | null {
    const digits = this.myDigits;
    if (!digits) return null;
    const predicted = Array.from(trainer.predict(digits.set));
    let correct = 0;
    predicted.forEach((p, i) => {
      if (p === digits.set.labels[i]) correct++;
    });
    return { step: trainer.step, ids: [...digits.ids], predicted, correct };
  }

  classify(pixels: Float32Array): Classification {
    return this.ensureTrainer().classify(pixels);
  }

  /** The live trainer, created from the current config on first use: for commands that read the model (e.g. saving weights). */
  /**
   * A first visit's network, built before any Train or Reset and its weights sent, so that the
   * first layer's tiles show the initial weights at step 0 (the random noise the help speaks
   * of). Does nothing once there is a trainer.
   */
  prepare(): void {
    if (this.trainer) return;
    this.ensureTrainer();
    this.postSnapshot();
  }

  ensureTrainer(): TrainerLike {
    this.trainer ??= this.createTrainer(this.config);
    return this.trainer;
  }

  private createTrainer(config: TrainConfig): TrainerLike {
    const trainer = this.options.createTrainer(config);
    trainer.setMyDigits(this.myDigits?.set ?? null);
    return trainer;
  }

  /** The last evaluation of the live weights, evaluating now when there is none (and training is not running). */
  currentEvaluation(): Evaluation | null {
    const step = this.ensureTrainer().step;
    if (this.lastEvaluation?.step !== step && this.status !== 'training') this.evaluate();
    return this.lastEvaluation?.step === step ? this.lastEvaluation : null;
  }

  /**
   * Replaces the run with one restored from a checkpoint (the weights file `file`; `origin`
   * says where it came from in the kept run's record): a fresh trainer for `config`, then
   * `checkpoint`. If either throws, nothing changed. The old curves no longer describe the
   * model, so a restored run is a new run with a history of its own; one status and one
   * snapshot follow.
   */
  restore(config: TrainConfig, checkpoint: Checkpoint, file: string, origin: string | null = null, stored: Omit<ReopenedRun, 'name'> = {}): Evaluation {
    if (this.status === 'training') throw new Error('cannot load weights while training: stop first');
    const trainer = this.createTrainer(config);
    trainer.restore(checkpoint);
    this.cancelEvaluateAfterStop();
    this.checkpointRun();
    this.tracker = new RunTracker(origin, checkpoint.step, this.now, 'app', new Date(), stored.settings ?? []);
    this.best = new BestCheckpoint();
    this.config = structuredClone(config);
    this.trainer = trainer;
    this.startRun('load', file);
    // A reopened run is drawn at once from what it stored: its curves and test points up to its step.
    if (stored.history) this.history = DownsampledHistory.restored(stored.history);
    if (stored.evaluations) this.evaluations = stored.evaluations.filter((e) => e.step <= checkpoint.step);
    this.setStatus('idle');
    this.postSnapshot();
    return this.evaluate();
  }

  /** A new model: its own history, evaluations and run id. */
  private startRun(origin: RunInfo['origin'], file: string | null): void {
    this.run = { id: this.run.id + 1, origin, file, recordId: this.tracker.id };
    this.history = new DownsampledHistory();
    this.evaluations = [];
    this.lastEvaluation = null;
    this.lastEvaluationMs = 0;
    this.metrics = new MetricsBatcher();
    this.error = null;
  }

  private restartEvaluationClock(now: number): void {
    this.evalClockStart = now;
    this.stepsSinceEvaluation = 0;
  }

  private scheduleLoop(): void {
    if (this.loopScheduled) return;
    this.loopScheduled = true;
    setImmediate(() => {
      this.loopScheduled = false;
      this.runSlice();
    });
  }

  private runSlice(): void {
    if (this.status !== 'training' || !this.trainer) return;
    const trainer = this.trainer;
    const sliceStart = this.now();
    try {
      while (this.status === 'training') {
        const step = this.takeStep(trainer);
        if (this.config.epochs !== null && trainer.epoch >= this.config.epochs) {
          this.finishRun();
          return;
        }
        const due = (this.options.evaluationDue ?? evaluationDue)({
          step,
          evalEvery: this.config.evalEvery,
          evaluatedBefore: this.lastEvaluation !== null,
          msSinceEvaluation: this.now() - this.evalClockStart,
          stepsSinceEvaluation: this.stepsSinceEvaluation,
          lastEvaluationMs: this.lastEvaluationMs,
        });
        if (due) {
          this.evaluate();
          if (this.best.shouldStop(this.config.earlyStopping)) {
            this.finishRun();
            return;
          }
          if (this.now() - this.tracker.lastCheckpointAt >= CHECKPOINT_WHILE_TRAINING_MS) this.checkpointRun();
        }
        const now = this.now();
        if (now - this.lastMetricsAt >= METRICS_INTERVAL_MS) this.flushMetrics();
        if (now - this.lastSnapshotAt >= SNAPSHOT_INTERVAL_MS) this.postSnapshot();
        if (now - sliceStart >= SLICE_MS) break;
      }
    } catch (error) {
      this.fail(error);
      return;
    }
    this.scheduleLoop();
  }

  /** One training step and its bookkeeping; returns the step's number. */
  private takeStep(trainer: TrainerLike): number {
    const { loss, accuracy, lr } = trainer.trainStep(this.health.probe(trainer.model, this.run.id, trainer.step + 1));
    const step = trainer.step;
    this.metrics.add(step, loss, accuracy, lr);
    this.rate.add(this.config.batchSize);
    this.history.push(step, loss, accuracy);
    this.stepsSinceEvaluation++;
    return step;
  }

  /** The configured number of epochs is done, or early stopping ends the run: report everything, evaluate, go idle, keep the run. */
  private finishRun(): void {
    this.setStatus('stopping');
    this.tracker.stopTraining();
    this.flushMetrics();
    this.postSnapshot();
    if (this.lastEvaluation?.step !== this.trainer?.step) this.evaluate();
    this.setStatus('idle');
    this.checkpointRun();
  }

  /**
   * Hands the run as it stands to `recordRun` when it has changed since the last time, with an
   * evaluation of its final weights (made now when there is none and the loop is not running).
   * Recording never fails the run: a problem becomes an error event.
   */
  private checkpointRun(): void {
    const trainer = this.trainer;
    const record = this.options.recordRun;
    if (!trainer || !record || !this.tracker.isDirty(trainer.step)) return;
    try {
      if (this.lastEvaluation?.step !== trainer.step && this.status !== 'training') this.evaluate();
      const state = this.state();
      const run = this.tracker.record(state);
      const testAccuracy = state.lastEvaluation?.step === trainer.step ? state.lastEvaluation.testAccuracy : null;
      record({ run, config: state.config, step: trainer.step, testAccuracy, weights: trainer.weights(), optimizer: trainer.optimizerState(), random: trainer.randomState?.() ?? null });
      this.tracker.recorded(trainer.step);
    } catch (error) {
      this.options.emit('error', { message: `the run could not be recorded: ${messageOf(error)}` });
    }
  }

  private fail(error: unknown): void {
    const message = error instanceof DivergedError ? capMessage(error.withOrigin(divergenceOrigin(this.health.diagnose(error)))) : messageOf(error);
    this.tracker.stopTraining();
    this.flushMetrics();
    this.error = `training failed: ${message}`;
    this.setStatus('error');
    this.options.emit('error', { message: this.error });
  }

  private recordEvaluation(evaluation: Evaluation): void {
    const trainer = this.trainer;
    if (trainer) this.best.offer(evaluation, () => trainer.checkpoint());
    this.lastEvaluation = evaluation;
    const point = { step: evaluation.step, testLoss: evaluation.testLoss, testAccuracy: evaluation.testAccuracy };
    const last = this.evaluations[this.evaluations.length - 1];
    if (last?.step === point.step) this.evaluations[this.evaluations.length - 1] = point;
    else this.evaluations.push(point);
    this.options.emit('evaluation', evaluation);
  }

  private flushMetrics(): void {
    const now = this.now();
    this.lastMetricsAt = now;
    const health = this.health.event(this.run.id);
    if (health) this.options.emit('health', health);
    if (this.metrics.size === 0) return;
    const event = this.metrics.flush(this.trainer?.epoch ?? 0, this.rate.rate(now));
    if (event) {
      this.tracker.mark(event.firstStep + event.loss.length - 1, event.epoch);
      this.options.emit('metrics', event);
    }
  }

  private postSnapshot(): void {
    this.lastSnapshotAt = this.now();
    const snapshot = this.snapshot(sharedCopy);
    if (snapshot) this.options.emit('weights', snapshot);
  }

  /** A copy (made by `copy`) of the weights the network view draws; null before there is a model. */
  private snapshot(copy: (values: Float32Array) => Float32Array): WeightsSnapshot | null {
    if (!this.trainer) return null;
    const weights = this.trainer.weights();
    const tensors = viewedWeights(describeModel(this.config.model)).flatMap(({ name }) => {
      const param = weights.get(name);
      return param ? [{ name, shape: [...param.shape], data: copy(param.data) }] : [];
    });
    return { step: this.trainer.step, tensors };
  }

  private setStatus(status: Status): void {
    this.status = status;
    this.options.emit('status', {
      status,
      error: this.error,
      step: this.trainer?.step ?? 0,
      epoch: this.trainer?.epoch ?? 0,
      config: structuredClone(this.config),
      run: { ...this.run },
    });
  }

  /** Once idle for `delayMs`: evaluate the weights (unless done at this step already) and record the run. */
  private scheduleEvaluateAfterStop(delayMs: number): void {
    this.cancelEvaluateAfterStop();
    const step = this.trainer?.step;
    if (step === undefined) return;
    this.evaluateAfterStop = setTimeout(() => {
      this.evaluateAfterStop = null;
      if (this.status !== 'idle' || this.trainer?.step !== step) return;
      try {
        if (this.lastEvaluation?.step !== step) this.evaluate();
      } catch (error) {
        this.fail(error);
        return;
      }
      this.checkpointRun();
    }, delayMs);
  }

  private cancelEvaluateAfterStop(): void {
    if (this.evaluateAfterStop) clearTimeout(this.evaluateAfterStop);
    this.evaluateAfterStop = null;
  }
}

const NETWORK_KEY_NAMES: Record<ReturnType<typeof networkChanges>[number], string> = { model: 'model', seed: 'seed' };

/**
 * A copy in shared memory: posted to another thread, it is handed over without a copy and
 * without detaching anything here. Transferring an ArrayBuffer instead (the obvious way to
 * avoid the copy) makes V8 give up, for the rest of this thread's life, its assumption that
 * no buffer is ever detached; every typed-array access in the training loop is then checked,
 * and a step took 12 % longer (1.50 vs 1.34 ms median, batch 32, measured in a worker).
 */
function sharedCopy(values: Float32Array): Float32Array {
  const copy = new Float32Array(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

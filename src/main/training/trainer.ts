// The Trainer owns one training run: the model a ModelSpec describes, its optimizer, the
// batch sampler and the step count. Hosts (the training worker, the CLI) drive it one step
// at a time, so they decide when to stop, evaluate or report; the Trainer only knows how to
// take a step. Its config is trusted: it was validated where it entered the Node side (the
// hosts' request check, the CLI's flags, the weights file's metadata).

import { crossEntropy, noGrad, type Optimizer, Rng, stepScope, Tensor } from '../../engine';
import type { RngState } from '../../engine/data/rng';
import type { OptimizerState } from '../../engine/optim';
import { gatherBatch, prepareGather } from '../../engine/data/batch';
import type { MnistSet } from '../../engine/data/mnist';
import { type BatchSampler, RandomSampler, ShuffledEpochSampler } from '../../engine/data/sampler';
import type { Classification, Evaluation, TensorView, TrainConfig } from '../../shared/contract';
import { MNIST_PIXELS } from '../../shared/mnist';
import { SpecModel } from '../model/specModel';
import { evaluateClassifier } from './evaluation';
import { createTestOutputs, type TestOutputs } from './inspect/testOutputs';
import { assertFiniteProbabilities } from '../model/finiteOutputs';
import { checkFiniteLoss } from './divergence';
import { explainInput } from './explain';
import { buildStepGraph } from './howItWorks/stepGraph';
import type { StepGraph } from '../../shared/stepGraph';
import type { StepProbe } from './health';
import type { Explanation } from '../../shared/insight/explain';
import { mixedCount, MyDigitsMixer, predictAll } from './myDigitsBatch';
import { createOptimizer } from './optimizers';
import { learningRateAt } from '../../shared/schedules';
import { costProblem, evalChunk, memoryProblem, modelCost, type ModelCost } from '../../shared/model/cost';
import { describeModel } from '../../shared/model/describe';
import { ModelSpecError } from '../../shared/model/validateSpec';
import { nearestDigitFor } from './nearestDigit';

export interface TrainData {
  train: MnistSet;
  test: MnistSet;
}

export interface TrainerOptions {
  /** 'random' draws with replacement like the reference loop (default); 'shuffled' visits each example once per epoch. */
  sampling?: 'random' | 'shuffled';
  /** Batches from this sampler instead (a replay of given batches); `sampling` is then ignored. */
  sampler?: BatchSampler;
}

export interface StepResult {
  loss: number;
  /** Accuracy on this step's batch, in [0, 1]. */
  accuracy: number;
  /** The learning rate this step used (the schedule's, at this step). */
  lr: number;
}

/** The settings a run may change between steps: everything but the network (model, seed). */
export type RunSettings = Omit<TrainConfig, 'model' | 'seed'>;

/** A saved run to continue from: the model's state dict, the optimizer's state and where it was. */
export interface Checkpoint {
  params: Map<string, Tensor>;
  optimizer: OptimizerState | null;
  step: number;
  samplesSeen: number;
  /** Where the batch sampler's random stream was (absent: files that did not keep it; the stream then restarts from the seed). */
  random?: RngState | null;
}

export class Trainer {
  config: TrainConfig;
  readonly model: SpecModel;
  optimizer: Optimizer;
  step = 0;
  /** Training examples consumed so far; epochs are measured in these, so changing the batch size mid-run keeps them exact. */
  samplesSeen = 0;
  private readonly sampler: BatchSampler;
  /** The run's random stream: initial weights, then the batches (kept with a checkpoint, so a reopened run draws the same next batches). */
  private readonly rng: Rng;
  /** The learner's own digits, mixed into batches while `config.mixMyDigits` is set (see myDigitsBatch.ts). */
  private myDigits: MyDigitsMixer | null = null;
  /** Every test image's answer at the last evaluation, for the gallery (inspect/): the confusion matrix's cells opened. */
  testOutputs: TestOutputs | null = null;
  /** What the model costs per image (shared/model/cost.ts): the batch sizes it may train at. */
  private readonly cost: ModelCost;
  /** Images per evaluation pass, sized to the model so that its activations fit the budget. */
  readonly evalChunk: number;

  constructor(
    private readonly data: TrainData,
    config: TrainConfig,
    options: TrainerOptions = {},
  ) {
    if (data.train.count === 0) throw new Error('Trainer: the training set is empty');
    // Before anything is allocated: a step at this batch size must fit the memory budget (the
    // spec alone was checked where it entered; the batch size may have come separately).
    const cost = modelCost(describeModel(config.model));
    const problem = costProblem(cost) ?? memoryProblem(cost, config.batchSize);
    if (problem) throw new ModelSpecError(problem);
    this.cost = cost;
    this.evalChunk = evalChunk(cost);
    this.config = structuredClone(config);
    // One stream for the run: initial weights first (as torch.manual_seed then the model), then batches.
    const rng = new Rng(config.seed);
    this.rng = rng;
    this.model = new SpecModel(this.config.model, rng);
    this.optimizer = createOptimizer(this.model.parameters(), this.config.optimizer);
    this.sampler = options.sampler ?? (options.sampling === 'shuffled' ? new ShuffledEpochSampler(data.train.count, rng) : new RandomSampler(data.train.count, rng));
    // Now rather than in the first step and the first evaluation: the pixels' copy for the WASM gather.
    prepareGather(data.train);
    prepareGather(data.test);
  }

  /** The set of digits to mix into batches when the config asks for it (null or empty: none). */
  setMyDigits(set: MnistSet | null): void {
    this.myDigits = set && set.count > 0 ? new MyDigitsMixer(set, this.config.seed) : null;
  }

  /** The predicted class of every example of `set`, in evaluation mode. */
  predict(set: MnistSet): Int32Array {
    return this.inEvalMode(() => predictAll(this.model, set, this.evalChunk));
  }

  /** Fractional epochs completed. */
  get epoch(): number {
    return this.samplesSeen / this.data.train.count;
  }

  /** Whether the configured number of epochs is done (never, for `epochs: null`). */
  get finished(): boolean {
    return this.config.epochs !== null && this.samplesSeen >= this.config.epochs * this.data.train.count;
  }

  /** Steps one epoch takes at the current batch size. */
  get stepsPerEpoch(): number {
    return Math.ceil(this.data.train.count / this.config.batchSize);
  }

  /**
   * Changes settings between steps without touching the weights. A new optimizer type starts
   * afresh (Adam's moments mean nothing to SGD); new hyperparameters keep its state.
   */
  updateConfig(settings: Partial<RunSettings>): void {
    if (settings.batchSize !== undefined) {
      const problem = memoryProblem(this.cost, settings.batchSize);
      if (problem) throw new ModelSpecError(problem);
    }
    const next: TrainConfig = { ...this.config, ...settings };
    if (settings.optimizer) {
      if (settings.optimizer.type !== this.config.optimizer.type) this.optimizer = createOptimizer(this.model.parameters(), settings.optimizer);
      else this.optimizer.setHyperparameters(settings.optimizer.hyper);
    }
    this.config = next;
  }

  /**
   * One step, in a step scope: its activations and gradients live in an arena that the next
   * step reuses. `probe` (health.ts) looks at it from inside: every layer's output when it asks
   * for them, the gradients, the update.
   */
  trainStep(probe?: StepProbe): StepResult {
    return stepScope(() => this.takeStep(probe));
  }

  private takeStep(probe?: StepProbe): StepResult {
    const { x, y, fromTrainingSet } = this.nextBatch();
    // A schedule sets this step's rate from the base rate in the config (shared/schedules.ts); without one the rate stays as set.
    const schedule = this.config.optimizer.schedule;
    if (schedule && schedule.type !== 'constant') this.optimizer.lr = learningRateAt(this.config.optimizer, this.step);
    const lr = this.optimizer.lr;
    this.optimizer.zeroGrad();
    probe?.beforeStep?.();
    // Every layer's output only when the probe samples them: forward() may fuse layers (Linear+ReLU in one WASM kernel).
    let logits: Tensor;
    if (probe?.wantsOutputs?.()) {
      const outputs = this.model.forwardAll(x);
      probe.afterForward?.(outputs);
      logits = outputs[outputs.length - 1];
    } else logits = this.model.forward(x);
    const loss = crossEntropy(logits, y, { labelSmoothing: this.config.labelSmoothing });
    const lossValue = loss.item();
    // Before backward and the step: a NaN loss must never reach the weights (see divergence.ts).
    try {
      checkFiniteLoss(lossValue, this.step + 1, this.config);
    } catch (error) {
      probe?.diverged?.();
      throw error;
    }
    loss.backward();
    probe?.afterBackward?.();
    this.optimizer.step();
    this.step++;
    probe?.afterStep?.(this.step, lossValue);
    this.samplesSeen += fromTrainingSet;
    return { loss: lossValue, accuracy: batchAccuracy(logits.argmax(1), y), lr };
  }

  /** MNIST examples, or MNIST and the learner's digits when they are mixed in. */
  private nextBatch(): { x: Tensor; y: Int32Array; fromTrainingSet: number } {
    const size = this.config.batchSize;
    const share = this.config.mixMyDigits;
    if (share === null || !this.myDigits) {
      const indices = this.sampler.nextBatch(size);
      return { ...gatherBatch(this.data.train, indices), fromTrainingSet: indices.length };
    }
    const mine = mixedCount(size, share);
    const indices = mine < size ? this.sampler.nextBatch(size - mine) : new Int32Array(0);
    return { ...this.myDigits.gather(this.data.train, indices, mine), fromTrainingSet: indices.length };
  }

  /** The full test set, without gradients, in evaluation mode (batch norm's running statistics, no dropout). */
  evaluate(): Evaluation {
    const outputs = createTestOutputs(this.data.test.count, this.step);
    const evaluation = this.inEvalMode(() => evaluateClassifier(this.model, this.data.test, this.step, outputs, this.evalChunk));
    this.testOutputs = outputs;
    return evaluation;
  }

  /** 784 values in [0, 1] (ink = 1), row-major: the answer and every layer's output. */
  classify(pixels: Float32Array): Classification {
    return this.inEvalMode(() => {
      const outputs = this.model.forwardAll(new Tensor(pixels, [1, MNIST_PIXELS]));
      const logits = outputs[outputs.length - 1];
      const activations: TensorView[] = outputs.map((out, i) => ({
        name: this.config.model.layers[i].name,
        shape: out.shape.slice(1),
        data: Float32Array.from(out.data),
      }));
      const probabilities = logits.softmax(-1).toArray();
      assertFiniteProbabilities(probabilities);
      const near = nearestDigitFor(this.data.train).measure(pixels);
      return { predicted: logits.argmax(1)[0], probabilities, activations, nearestTrainingDistance: near.distance, nearestTrainingCosineDistance: near.cosineDistance };
    });
  }

  /** For the inspection panels (inspect/): `fn` on the model in evaluation mode, without gradients, and the test set. */
  inspect<T>(fn: (model: SpecModel, test: MnistSet) => T): T {
    return this.inEvalMode(() => fn(this.model, this.data.test));
  }

  /** Why this answer (explain.ts): the classification, the saliency map and, for dense models, the units' contributions. */
  explain(pixels: Float32Array): Explanation {
    return explainInput(this.model, pixels);
  }

  /** How it works (howItWorks/stepGraph.ts): one step on test image `index`, recorded; nothing of the run changes. */
  stepGraph(index: number): StepGraph {
    const test = this.data.test;
    if (index >= test.count) throw new Error(`there is no test image ${index} (the test set has ${test.count})`);
    const pixels = new Float32Array(MNIST_PIXELS);
    for (let i = 0; i < MNIST_PIXELS; i++) pixels[i] = test.images[index * MNIST_PIXELS + i] / 255;
    return buildStepGraph({ model: this.model, optimizer: this.optimizer, labelSmoothing: this.config.labelSmoothing, step: this.step, pixels, label: test.labels[index], index });
  }

  /** Runs `fn` without gradients in evaluation mode, then back to training mode. */
  private inEvalMode<T>(fn: () => T): T {
    this.model.eval();
    try {
      return noGrad(fn);
    } finally {
      this.model.train();
    }
  }

  /** The model's state dict (live tensors: copy to keep). */
  weights(): Map<string, Tensor> {
    return this.model.stateDict();
  }

  optimizerState(): OptimizerState {
    return this.optimizer.stateDict();
  }

  /** A copy of where the run is: the state dict, the optimizer's state and the counters. */
  checkpoint(): Checkpoint {
    const params = new Map<string, Tensor>();
    for (const [name, tensor] of this.model.stateDict()) params.set(name, new Tensor(Float32Array.from(tensor.data), [...tensor.shape]));
    return { params, optimizer: this.optimizer.stateDict(), step: this.step, samplesSeen: this.samplesSeen, random: this.rng.state() };
  }

  /** Where the run's random stream is now. */
  randomState(): RngState {
    return this.rng.state();
  }

  /**
   * Continues a saved run. Call it on a fresh Trainer built from the checkpoint's config:
   * if it throws (a state that does not fit), drop this Trainer; the live run was never touched.
   */
  restore(checkpoint: Checkpoint): void {
    this.model.loadStateDict(checkpoint.params);
    if (checkpoint.optimizer) this.optimizer.loadStateDict(checkpoint.optimizer);
    if (checkpoint.random) this.rng.setState(checkpoint.random);
    this.step = checkpoint.step;
    this.samplesSeen = checkpoint.samplesSeen;
  }
}

function batchAccuracy(predicted: Int32Array, labels: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

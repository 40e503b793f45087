// The Trainer owns one training run: the MLP, its optimizer, the batch sampler and the
// step count. Hosts (the training worker, the CLI) drive it one step at a time, so they
// decide when to stop, evaluate or report; the Trainer only knows how to take a step.

import { Adam, crossEntropy, MLP, noGrad, type Optimizer, Rng, SGD, stepScope, Tensor } from '../../engine';
import { gatherBatch, prepareGather } from '../../engine/data/batch';
import { MNIST_CLASSES, MNIST_PIXELS, type MnistSet } from '../../engine/data/mnist';
import { type BatchSampler, RandomSampler, ShuffledEpochSampler } from '../../engine/data/sampler';
import type { Classification, Evaluation, TrainConfig } from '../../shared/contract';
import { evaluateClassifier } from './evaluation';
import { checkTrainConfig, RUN_KEYS } from './trainerConfig';

export interface TrainData {
  train: MnistSet;
  test: MnistSet;
}

export interface TrainerOptions {
  /** 'random' draws with replacement like the reference loop (default); 'shuffled' visits each example once per epoch. */
  sampling?: 'random' | 'shuffled';
}

export interface StepResult {
  loss: number;
  /** Accuracy on this step's batch, in [0, 1]. */
  accuracy: number;
}

const RUN_KEY_NAMES: Record<(typeof RUN_KEYS)[number], string> = { hidden: 'hidden size', seed: 'seed' };

/** The settings updateConfig may change between steps. */
const MUTABLE_KEYS = ['lr', 'batchSize', 'optimizer', 'momentum', 'epochs', 'evalEvery'] as const;

export class Trainer {
  config: TrainConfig;
  readonly model: MLP;
  optimizer: Optimizer;
  step = 0;
  /** Training examples consumed so far; epochs are measured in these, so changing the batch size mid-run keeps them exact. */
  samplesSeen = 0;
  private readonly sampler: BatchSampler;

  constructor(
    private readonly data: TrainData,
    config: TrainConfig,
    options: TrainerOptions = {},
  ) {
    checkTrainConfig(config);
    if (data.train.count === 0) throw new Error('Trainer: the training set is empty');
    this.config = { ...config };
    // One stream for the run: initial weights first (as torch.manual_seed then the model), then batches.
    const rng = new Rng(config.seed);
    this.model = new MLP(MNIST_PIXELS, config.hidden, MNIST_CLASSES, rng);
    this.optimizer = createOptimizer(this.model.parameters(), this.config);
    this.sampler = options.sampling === 'shuffled' ? new ShuffledEpochSampler(data.train.count, rng) : new RandomSampler(data.train.count, rng);
    // Now rather than in the first step and the first evaluation: the pixels' copy for the WASM gather.
    prepareGather(data.train);
    prepareGather(data.test);
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
   * Changes settings between steps without touching the weights. Switching the optimizer
   * starts it afresh (Adam's moments mean nothing to SGD); lr and momentum keep its state.
   */
  updateConfig(partial: Partial<TrainConfig>): void {
    for (const key of RUN_KEYS) {
      if (partial[key] !== undefined && partial[key] !== this.config[key]) {
        throw new Error(`the ${RUN_KEY_NAMES[key]} is fixed at ${this.config[key]} for this model; reset to use ${partial[key]}`);
      }
    }
    const next: TrainConfig = { ...this.config };
    for (const key of MUTABLE_KEYS) if (partial[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = partial[key];
    checkTrainConfig(next);

    if (next.optimizer !== this.optimizer.kind) this.optimizer = createOptimizer(this.model.parameters(), next);
    this.optimizer.lr = next.lr;
    if (this.optimizer instanceof SGD) this.optimizer.momentum = next.momentum;
    this.config = next;
  }

  /** One step, in a step scope: its activations and gradients live in an arena that the next step reuses. */
  trainStep(): StepResult {
    return stepScope(() => this.takeStep());
  }

  private takeStep(): StepResult {
    const indices = this.sampler.nextBatch(this.config.batchSize);
    const { x, y } = gatherBatch(this.data.train, indices);
    this.optimizer.zeroGrad();
    const logits = this.model.forward(x);
    const loss = crossEntropy(logits, y);
    loss.backward();
    this.optimizer.step();
    this.step++;
    this.samplesSeen += indices.length;
    return { loss: loss.item(), accuracy: batchAccuracy(logits.argmax(1), y) };
  }

  /** The full test set, without gradients. */
  evaluate(): Evaluation {
    return evaluateClassifier(this.model, this.data.test, this.step);
  }

  /** 784 values in [0, 1] (ink = 1), row-major. */
  classify(pixels: ArrayLike<number>): Classification {
    if (pixels.length !== MNIST_PIXELS) throw new Error(`classify: expected ${MNIST_PIXELS} pixels (28×28), got ${pixels.length}`);
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`classify: pixel ${i} is ${v}; pixels must be numbers in [0, 1]`);
    }
    return noGrad(() => {
      const { hidden, logits } = this.model.forwardWithHidden(Tensor.fromArray(pixels, [1, MNIST_PIXELS]));
      const probabilities = logits.softmax(-1).toArray();
      return { predicted: logits.argmax(1)[0], probabilities, hidden: hidden.toArray() };
    });
  }
}

/** The optimizer a config asks for, over `params` (the trainer's, or a weights file's being checked). */
export function createOptimizer(params: Tensor[], config: TrainConfig): Optimizer {
  return config.optimizer === 'sgd' ? new SGD(params, { lr: config.lr, momentum: config.momentum }) : new Adam(params, { lr: config.lr });
}

function batchAccuracy(predicted: Int32Array, labels: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

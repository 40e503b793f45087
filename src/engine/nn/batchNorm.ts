// BatchNorm1d ([N, C] or [N, C, L]) and BatchNorm2d ([N, C, H, W]), as torch.nn's: weight 1
// and bias 0 (affine), buffers running_mean 0, running_var 1 and num_batches_tracked 0 (a
// float32 scalar here; PyTorch's is int64). Training mode normalises with the batch's
// statistics and updates the running ones; evaluation mode uses the running ones.
import { batchNorm } from '../ops/batchNorm';
import { formatShape } from '../ops/dims';
import { Tensor } from '../tensor';
import { Module } from './module';

export interface BatchNormOptions {
  /** Default 1e-5. */
  eps?: number;
  /** Weight of each batch in the running statistics; null: a cumulative average. Default 0.1. */
  momentum?: number | null;
  /** Learnable weight and bias; default true. */
  affine?: boolean;
  /** Keep running statistics (and use them in evaluation); default true. */
  trackRunningStats?: boolean;
}

abstract class BatchNorm extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Tensor | null = null;
  readonly bias: Tensor | null = null;
  readonly runningMean: Tensor | null = null;
  readonly runningVar: Tensor | null = null;
  readonly numBatchesTracked: Tensor | null = null;

  protected abstract readonly kind: string;
  protected abstract checkInput(x: Tensor): void;

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions,
  ) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) {
      throw new Error(`BatchNorm: numFeatures must be a positive integer, got ${numFeatures}`);
    }
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (!(this.eps > 0 && Number.isFinite(this.eps))) throw new Error(`BatchNorm: eps must be a positive number, got ${this.eps}`);
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new Error(`BatchNorm: momentum must be in [0, 1] or null, got ${this.momentum}`);
    }
    if (options.affine ?? true) {
      this.weight = this.registerParameter('weight', Tensor.ones([numFeatures]));
      this.bias = this.registerParameter('bias', Tensor.zeros([numFeatures]));
    }
    if (options.trackRunningStats ?? true) {
      this.runningMean = this.registerBuffer('running_mean', Tensor.zeros([numFeatures]));
      this.runningVar = this.registerBuffer('running_var', Tensor.ones([numFeatures]));
      this.numBatchesTracked = this.registerBuffer('num_batches_tracked', Tensor.zeros([]));
    }
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new Error(`${this.kind}: input ${formatShape(x.shape)} has ${x.shape[1]} channels, expected ${this.numFeatures}`);
    }
    const tracked = this.training ? this.numBatchesTracked : null;
    const count = tracked ? tracked.data[0] + 1 : 0;
    const momentum = this.momentum ?? (tracked ? 1 / count : 0);
    // Without running statistics, evaluation normalises with the batch's too (as PyTorch).
    const useBatchStats = this.training || !this.runningMean;
    const y = batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, { training: useBatchStats, momentum, eps: this.eps });
    if (tracked) tracked.data[0] = count; // after the op, which may refuse the input
    return y;
  }
}

export class BatchNorm1d extends BatchNorm {
  protected readonly kind = 'BatchNorm1d';

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options);
  }

  protected checkInput(x: Tensor): void {
    if (x.shape.length !== 2 && x.shape.length !== 3) {
      throw new Error(`BatchNorm1d: expected input [N, C] or [N, C, L], got ${formatShape(x.shape)}`);
    }
  }
}

export class BatchNorm2d extends BatchNorm {
  protected readonly kind = 'BatchNorm2d';

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options);
  }

  protected checkInput(x: Tensor): void {
    if (x.shape.length !== 4) throw new Error(`BatchNorm2d: expected input [N, C, H, W], got ${formatShape(x.shape)}`);
  }
}

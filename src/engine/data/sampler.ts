// Which training examples go into each batch.
//
// RandomSampler draws with replacement, as the reference loop does (`randint(0, 60000, (B,))`
// each step); ShuffledEpochSampler visits every example once per epoch in a fresh order.
// Both are seeded through the RNG they are given, so a run replays exactly.

import { shuffleInPlace, type RandomSource } from './rng';

export interface BatchSampler {
  /** Indices of the next batch; the returned array is fresh and owned by the caller. */
  nextBatch(batchSize: number): Int32Array;
}

export class RandomSampler implements BatchSampler {
  constructor(
    private readonly count: number,
    private readonly rng: RandomSource,
  ) {
    checkCount(count);
  }

  nextBatch(batchSize: number): Int32Array {
    checkBatchSize(batchSize);
    const indices = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) indices[i] = this.rng.int(this.count);
    return indices;
  }
}

/**
 * A new permutation per epoch. A batch that crosses the end of an epoch is completed from
 * the next permutation, so every batch is full and every epoch still sees each example once.
 */
export class ShuffledEpochSampler implements BatchSampler {
  private readonly order: Int32Array;
  private position: number;

  constructor(
    private readonly count: number,
    private readonly rng: RandomSource,
  ) {
    checkCount(count);
    this.order = new Int32Array(count);
    for (let i = 0; i < count; i++) this.order[i] = i;
    this.position = count; // shuffle lazily on the first batch
  }

  nextBatch(batchSize: number): Int32Array {
    checkBatchSize(batchSize);
    const indices = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) {
      if (this.position === this.count) this.startEpoch();
      indices[i] = this.order[this.position++];
    }
    return indices;
  }

  private startEpoch(): void {
    shuffleInPlace(this.order, this.rng);
    this.position = 0;
  }
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count <= 0) throw new RangeError(`sampler: the data set must hold at least one example, got ${count}`);
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
}

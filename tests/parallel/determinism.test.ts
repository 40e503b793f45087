// Training gives bit-identical weights whatever the pool size: every element of every matmul
// is summed in the same order whichever thread computes it, and the fused kernels run on the
// calling thread. Checked on whole training steps in step scopes, as the Trainer runs them.
import { afterEach, expect, test } from 'vitest';
import { Adam, crossEntropy, Linear, ReLU, Rng, Sequential, stepScope } from '../../src/engine';
import { gatherBatch } from '../../src/engine/data/batch';
import { RandomSampler } from '../../src/engine/data/sampler';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { loadMnist } from '../../src/main/data/loadMnist';
import { bitMismatches } from './matmulCases';

afterEach(() => shutdownParallel());

async function train(threads: number): Promise<Float32Array[]> {
  // minParallelFlops 0 and no backoff: every matmul is split among the threads, however small
  // and however busy the machine.
  const pool = enableParallel({ threads, minParallelFlops: 0, backoff: false });
  await pool.whenReady();
  const rng = new Rng(11);
  const model = Sequential.named([
    ['l1', new Linear(784, 64, { rng })],
    ['act', new ReLU()],
    ['l2', new Linear(64, 10, { rng })],
  ]);
  const optimizer = new Adam(model.parameters());
  const sampler = new RandomSampler(60000, rng);
  const { train: set } = loadMnist();
  for (let step = 0; step < 10; step++) {
    stepScope(() => {
      const { x, y } = gatherBatch(set, sampler.nextBatch(100));
      optimizer.zeroGrad();
      crossEntropy(model.forward(x), y).backward();
      optimizer.step();
    });
  }
  return model.parameters().map((p) => Float32Array.from(p.data));
}

test('ten training steps give the same bits on 1, 2 and 3 threads', async () => {
  const one = await train(1);
  for (const threads of [2, 3]) {
    const other = await train(threads);
    other.forEach((p, i) => expect(bitMismatches(p, one[i]), `${threads} threads, parameter ${i}`).toBe(0));
  }
});

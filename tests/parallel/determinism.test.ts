// Training gives bit-identical weights whatever the pool size: every element of every matmul
// and convolution is summed in the same order whichever thread computes it, and the fused
// kernels the pool shares (optimizer updates, a CNN's ReLU and pooling) are element- or
// plane-wise. Checked on whole training steps in step scopes, as the Trainer runs them.
import { afterEach, expect, test } from 'vitest';
import { Adam, crossEntropy, Linear, ReLU, Rng, Sequential, stepScope } from '../../src/engine';
import { gatherBatch } from '../../src/engine/data/batch';
import { RandomSampler } from '../../src/engine/data/sampler';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { loadMnist } from '../../src/main/data/loadMnist';
import { SpecModel } from '../../src/main/model/specModel';
import { presetSpec } from '../../src/shared/model/presets';
import { bitMismatches } from './matmulCases';

afterEach(() => shutdownParallel());

async function train(threads: number, arch: 'mlp' | 'cnn'): Promise<Float32Array[]> {
  // minParallelFlops 0 and no backoff: every matmul is split among the threads, however small
  // and however busy the machine.
  const pool = enableParallel({ threads, minParallelFlops: 0, backoff: false });
  await pool.whenReady();
  const rng = new Rng(11);
  const model =
    arch === 'cnn'
      ? new SpecModel(presetSpec('cnn'), rng)
      : Sequential.named([
          ['l1', new Linear(784, 64, { rng })],
          ['act', new ReLU()],
          ['l2', new Linear(64, 10, { rng })],
        ]);
  const optimizer = new Adam(model.parameters());
  const sampler = new RandomSampler(60000, rng);
  const { train: set } = loadMnist();
  // The cnn's batch of 64: its first ReLU and pooling (401,408 floats) are big enough to share.
  const batch = arch === 'cnn' ? 64 : 100;
  for (let step = 0; step < 10; step++) {
    stepScope(() => {
      const { x, y } = gatherBatch(set, sampler.nextBatch(batch));
      optimizer.zeroGrad();
      const input = arch === 'cnn' ? x.reshape([batch, 1, 28, 28]) : x;
      crossEntropy(model.forward(input), y).backward();
      optimizer.step();
    });
  }
  return model.parameters().map((p) => Float32Array.from(p.data));
}

test.each(['mlp', 'cnn'] as const)('ten training steps of the %s give the same bits on 1, 2 and 3 threads', async (arch) => {
  const one = await train(1, arch);
  for (const threads of [2, 3]) {
    const other = await train(threads, arch);
    other.forEach((p, i) => expect(bitMismatches(p, one[i]), `${threads} threads, parameter ${i}`).toBe(0));
  }
});

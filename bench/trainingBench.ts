// Training with the app's own Trainer on real MNIST: throughput, memory over a long run,
// and the time to 97 % test accuracy with the default settings.
import { enableParallel, shutdownParallel } from '../src/engine/parallel';
import { loadMnist } from '../src/main/data/loadMnist';
import { Trainer } from '../src/main/training/trainer';
import { defaultConfig } from '../src/shared/contract';
import { round, rssMiB, timeCalls } from './timing';

export interface ThroughputRow {
  engine: string;
  threads: number;
  batch: number;
  stepsPerSecond: number;
  samplesPerSecond: number;
  /** CPU seconds per wall second while training: cores kept busy (worker spin included). */
  cpuCores: number;
}

/** Runs `fn` with the matmul pool of `threads` started (workers ready) and shut down afterwards. */
export async function withPool<T>(threads: number, fn: (kernel: string) => T | Promise<T>): Promise<T> {
  const pool = enableParallel({ threads });
  await pool.whenReady();
  try {
    return await fn(pool.kernel);
  } finally {
    await shutdownParallel();
  }
}

export async function benchThroughput(batch: number, threads: number, budgetMs: number): Promise<ThroughputRow> {
  return withPool(threads, (kernel) => {
    const trainer = new Trainer(loadMnist(), { ...defaultConfig(), batchSize: batch });
    for (let i = 0; i < 20; i++) trainer.trainStep();
    const t = timeCalls(() => void trainer.trainStep(), budgetMs);
    return {
      engine: `digitrain (${kernel})`,
      threads,
      batch,
      stepsPerSecond: round(1 / t.seconds),
      samplesPerSecond: Math.round(batch / t.seconds),
      cpuCores: round(t.cpuSeconds / t.seconds, 2),
    };
  });
}

export interface LongRun {
  threads: number;
  steps: number;
  /** RSS after MNIST is loaded, 1000 warm-up steps and one evaluation ran. */
  rssBeforeMiB: number;
  rssAfterMiB: number;
  /** Wall time from a fresh model to the first evaluation at ≥ 97 % (evaluations included), or null. */
  secondsTo97: number | null;
  stepsTo97: number | null;
  finalTestAccuracy: number;
}

/**
 * the default config (Adam 1e-3, batch 32, seed 0), evaluating the full test set every
 * `evalEvery` steps. Runs `steps` steps, or with `stopAt97` until 97 % (at most `steps`).
 */
export async function benchLongRun(threads: number, steps: number, stopAt97: boolean): Promise<LongRun> {
  return withPool(threads, () => {
    const data = loadMnist();
    // One-time growth belongs before the baseline: JIT, evaluation buffers, and V8 sizing its
    // heaps to the churn of per-step typed arrays (RSS rises for ~1–3k steps, then stays flat).
    const warm = new Trainer(data, defaultConfig());
    for (let i = 0; i < 1000; i++) warm.trainStep();
    warm.evaluate();
    const rssBeforeMiB = rssMiB();

    const start = performance.now();
    const trainer = new Trainer(data, defaultConfig());
    let secondsTo97: number | null = null;
    let stepsTo97: number | null = null;
    let accuracy = 0;
    while (trainer.step < steps) {
      trainer.trainStep();
      if (trainer.step % defaultConfig().evalEvery === 0) {
        accuracy = trainer.evaluate().testAccuracy;
        if (secondsTo97 === null && accuracy >= 0.97) {
          secondsTo97 = round((performance.now() - start) / 1000, 2);
          stepsTo97 = trainer.step;
          if (stopAt97) break;
        }
      }
    }
    return {
      threads,
      steps: trainer.step,
      rssBeforeMiB: round(rssBeforeMiB),
      rssAfterMiB: round(rssMiB()),
      secondsTo97,
      stepsTo97,
      finalTestAccuracy: round(accuracy, 4),
    };
  });
}

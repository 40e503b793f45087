// Training with the app's own Trainer on real MNIST: throughput (against PyTorch in
// alternating rounds with --torch), memory and garbage collection over a long run, and the
// time to 97 % test accuracy with the default settings.
import { PerformanceObserver } from 'node:perf_hooks';
import { enableParallel, shutdownParallel } from '../src/engine/parallel';
import { loadMnist } from '../src/main/data/loadMnist';
import { Trainer } from '../src/main/training/trainer';
import { defaultConfig } from '../src/shared/contract';
import { presetSpec, type PresetName } from '../src/shared/model/presets';
import { median, round, rssMiB, timeCalls } from './timing';
import { parameterMismatch, torchModel, type TorchSide } from './torchBench';

export interface ThroughputRow {
  /** The preset trained (`npm run train -- --arch NAME`). */
  model: PresetName;
  engine: string;
  threads: number;
  batch: number;
  stepsPerSecond: number;
  samplesPerSecond: number;
  /** CPU seconds per wall second while training: cores kept busy (worker spin included). */
  cpuCores: number;
  torchStepsPerSecond?: number;
  /** Ours ÷ PyTorch's, same batch and threads. */
  vsTorch?: number;
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

/**
 * Steps per second of our Trainer and of PyTorch's loop at one batch size, for each thread
 * count, all alternating within each round (ours with 1 thread, PyTorch with 1, ours with the
 * full pool, PyTorch with as many), so that every ratio between them (also across thread
 * counts, as the targets ask) compares figures measured side by side. The net is a preset
 * (the reference MLP by default), PyTorch's built from its spec by the PyTorch export's code
 * and checked to have the same parameters.
 */
export async function benchThroughput(batch: number, threadCounts: readonly number[], budgetMs: number, rounds: number, torch: TorchSide | null, arch: PresetName = 'mlp'): Promise<ThroughputRow[]> {
  const spec = presetSpec(arch);
  const theirModel = torchModel(spec);
  if (torch) {
    const problem = parameterMismatch(spec, await torch.parameters(theirModel));
    if (problem) throw new Error(problem);
  }
  const ours = threadCounts.map(() => [] as number[]);
  const cores = threadCounts.map(() => [] as number[]);
  const theirs = threadCounts.map(() => [] as number[]);
  let engine = '';
  for (let r = 0; r < rounds; r++) {
    for (const [i, threads] of threadCounts.entries()) {
      await withPool(threads, (kernel) => {
        engine = `digitrain (${kernel})`;
        const trainer = new Trainer(loadMnist(), { ...defaultConfig(), batchSize: batch, model: spec });
        for (let step = 0; step < 20; step++) trainer.trainStep();
        const t = timeCalls(() => void trainer.trainStep(), budgetMs / rounds);
        ours[i].push(1 / t.seconds);
        cores[i].push(t.cpuSeconds / t.seconds);
      });
      if (torch) theirs[i].push(1 / (await torch.train(batch, threads, budgetMs / rounds, theirModel)).seconds);
    }
  }
  return threadCounts.map((threads, i) => {
    const stepsPerSecond = median(ours[i]);
    const row: ThroughputRow = {
      model: arch,
      engine,
      threads,
      batch,
      stepsPerSecond: round(stepsPerSecond),
      samplesPerSecond: Math.round(batch * stepsPerSecond),
      cpuCores: round(median(cores[i]), 2),
    };
    if (torch) {
      row.torchStepsPerSecond = round(median(theirs[i]));
      row.vsTorch = round(stepsPerSecond / median(theirs[i]), 2);
    }
    return row;
  });
}

export interface LongRun {
  threads: number;
  steps: number;
  /** RSS after MNIST is loaded, 1000 warm-up steps and one evaluation ran. */
  rssBeforeMiB: number;
  rssAfterMiB: number;
  /** Garbage-collection pauses (PerformanceObserver 'gc') per 1000 steps of the measured run, evaluations included. */
  gcMillisPer1000Steps: number;
  gcPausesPer1000Steps: number;
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
  return withPool(threads, async () => {
    const data = loadMnist();
    // One-time growth belongs before the baseline: JIT, evaluation buffers, and V8 sizing its
    // heaps to the churn of per-step typed arrays (RSS rises for ~1–3k steps, then stays flat).
    const warm = new Trainer(data, defaultConfig());
    for (let i = 0; i < 1000; i++) warm.trainStep();
    warm.evaluate();
    const rssBeforeMiB = rssMiB();

    let gcMillis = 0;
    let gcPauses = 0;
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        gcMillis += entry.duration;
        gcPauses++;
      }
    });
    gc.observe({ entryTypes: ['gc'] });
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
    const rssAfterMiB = rssMiB();
    // The observer is told of pauses asynchronously: let the last ones arrive.
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc.disconnect();
    return {
      threads,
      steps: trainer.step,
      rssBeforeMiB: round(rssBeforeMiB),
      rssAfterMiB: round(rssAfterMiB),
      gcMillisPer1000Steps: round((gcMillis * 1000) / trainer.step, 2),
      gcPausesPer1000Steps: round((gcPauses * 1000) / trainer.step, 1),
      secondsTo97,
      stepsTo97,
      finalTestAccuracy: round(accuracy, 4),
    };
  });
}

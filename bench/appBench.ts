// The app's training thread against the command line's loop: the same steps and evaluations,
// once through TrainingHost (the worker the window talks to, with its metrics, snapshots and
// message handling) and once as a plain loop like `npm run train`. What is left between the
// two is the app's own cost, before any window draws anything.
import { loadMnist } from '../src/main/data/loadMnist';
import { Trainer } from '../src/main/training/trainer';
import { TrainingHost } from '../src/main/training/trainingHost';
import { defaultConfig } from '../src/shared/contract';
import { median, round } from './timing';
import { withPool } from './trainingBench';

export interface AppOverhead {
  seconds: number;
  rounds: number;
  /** Medians over the rounds; wall time, evaluations (every evalEvery steps) included. */
  loopSamplesPerSecond: number;
  appSamplesPerSecond: number;
  /** App ÷ loop: 1 means the app's worker costs nothing over the bare loop. */
  ratio: number;
}

const config = { ...defaultConfig(), epochs: null };

function loopRate(data: ReturnType<typeof loadMnist>, seconds: number, threads: number): Promise<number> {
  return withPool(threads, () => {
    const trainer = new Trainer(data, config);
    const start = performance.now();
    const end = start + seconds * 1000;
    while (performance.now() < end) {
      trainer.trainStep();
      if (trainer.step % config.evalEvery === 0) trainer.evaluate();
    }
    return (trainer.step * config.batchSize * 1000) / (performance.now() - start);
  });
}

async function appRate(seconds: number, threads: number): Promise<number> {
  // The worker reads its pool size from the environment it is started with.
  const before = process.env.DIGITRAIN_THREADS;
  process.env.DIGITRAIN_THREADS = String(threads);
  const host = new TrainingHost();
  try {
    await host.request('reset', { config });
    if (before === undefined) delete process.env.DIGITRAIN_THREADS;
    else process.env.DIGITRAIN_THREADS = before;
    const start = performance.now();
    await host.request('train', { config: {} });
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const { step } = await host.request('stop', {});
    return (step * config.batchSize * 1000) / (performance.now() - start);
  } finally {
    await host.dispose();
  }
}

/** Alternates the two, `rounds` times each, so that a noisy minute affects both alike. */
export async function benchAppOverhead(threads: number, seconds: number, rounds: number): Promise<AppOverhead> {
  const data = loadMnist();
  const loop: number[] = [];
  const app: number[] = [];
  for (let r = 0; r < rounds; r++) {
    loop.push(await loopRate(data, seconds, threads));
    app.push(await appRate(seconds, threads));
  }
  const loopSamplesPerSecond = Math.round(median(loop));
  const appSamplesPerSecond = Math.round(median(app));
  return { seconds, rounds, loopSamplesPerSecond, appSamplesPerSecond, ratio: round(appSamplesPerSecond / loopSamplesPerSecond, 3) };
}

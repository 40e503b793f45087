// The app's training thread against the command line's loop: the same steps and evaluations,
// once through TrainingHost (the worker the window talks to, with its metrics, snapshots and
// message handling) and once as a plain loop like `npm run train`. What is left between the
// two is the app's own cost, before any window draws anything.
//
// This machine's speed drifts by half for tens of seconds at a time (a loop alone measured
// 60k samples/s, then 87k, with nothing else running), so separate runs of each side cannot
// be compared. Both sides stay alive instead, warm, and take turns in short windows: the
// loop trains for a window, then the app's worker trains (Train) for one and pauses (Stop),
// and so on. The ratio is the median of each pair's ratio, so a pair the drift splits does
// not move it. What the worker pays once (starting its pool, the run's early first
// evaluation) happens in the warm-up, before the first pair: it is not a per-step cost.
//
// Which of this machine's two cores a thread lands on moves its speed by a third (one seems to
// share its physical core with a neighbour), and the loop's thread and the worker's land where
// the scheduler puts them. benchAppOverheadOneCore runs the comparison again in a child process
// pinned to one core (taskset), one thread each: then both sides compute on the same core, and
// the ratio is steady to a percent. There the window's side of the message port (the host
// receiving the worker's events) shares that core too, which the app on a real machine does not
// pay: that figure errs against the app.
//
// Each side's samples per CPU-second of this process (every thread, the worker's included)
// are compared as well: the worker runs at the lowest priority by design
// (threadPriority.ts), so on a machine that others load it gets less of a core than the
// loop does, and only the CPU figure separates that from work it adds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '../src/main/data/loadMnist';
import { Trainer } from '../src/main/training/trainer';
import { TrainingHost } from '../src/main/training/trainingHost';
import { defaultConfig } from '../src/shared/contract';
import { cpuNow, median, round } from './timing';
import { withPool } from './trainingBench';

export interface AppOverhead {
  /** Each side's window, and how many pairs of windows. */
  seconds: number;
  rounds: number;
  /** Medians over the windows of the wall-clock rate (evaluations every evalEvery steps included). */
  loopSamplesPerSecond: number;
  appSamplesPerSecond: number;
  /** App ÷ loop, the median of the pairs' ratios: 1 means the app's worker costs nothing over the bare loop. */
  ratio: number;
  /** The same per CPU-second of the process: what the app's work costs, whatever the machine's other load. */
  cpuRatio: number;
}

const config = { ...defaultConfig(), epochs: null };
const WARM_UP_MS = 1500;
/** Stop scores the test set after 300 ms (session.ts) unless training resumes: let it finish before the loop's window. */
const AFTER_STOP_MS = 600;

interface Rate {
  samplesPerSecond: number;
  samplesPerCpuSecond: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function loopWindow(trainer: Trainer, ms: number): Rate {
  const [start, cpu, step] = [performance.now(), cpuNow(), trainer.step];
  while (performance.now() < start + ms) {
    trainer.trainStep();
    if (trainer.step % config.evalEvery === 0) trainer.evaluate();
  }
  const samples = (trainer.step - step) * config.batchSize;
  return { samplesPerSecond: (samples * 1000) / (performance.now() - start), samplesPerCpuSecond: samples / (cpuNow() - cpu) };
}

/** Starts the app's worker with `threads` in its pool, with a model built. */
async function startApp(threads: number): Promise<TrainingHost> {
  // The worker reads its pool size from the environment it is started with.
  const before = process.env.DIGITRAIN_THREADS;
  process.env.DIGITRAIN_THREADS = String(threads);
  const host = new TrainingHost();
  try {
    await host.request('reset', { config });
  } finally {
    if (before === undefined) delete process.env.DIGITRAIN_THREADS;
    else process.env.DIGITRAIN_THREADS = before;
  }
  return host;
}

/** Train, a window measured between two metrics events (the window follows the steps through them too), Stop. */
async function appWindow(host: TrainingHost, ms: number, leadMs: number): Promise<Rate> {
  type Mark = { step: number; at: number; cpu: number };
  let waiting: ((mark: Mark) => void) | null = null;
  const off = host.on('metrics', (event) => {
    const mark = { step: event.firstStep + event.loss.length - 1, at: performance.now(), cpu: cpuNow() };
    waiting?.(mark);
    waiting = null;
  });
  const nextEvent = () => new Promise<Mark>((resolve) => (waiting = resolve));
  try {
    await host.request('train', { config: {} });
    await sleep(leadMs);
    const first = await nextEvent();
    await sleep(ms);
    const last = await nextEvent();
    await host.request('stop', {});
    await sleep(AFTER_STOP_MS);
    const samples = (last.step - first.step) * config.batchSize;
    return { samplesPerSecond: (samples * 1000) / (last.at - first.at), samplesPerCpuSecond: samples / (last.cpu - first.cpu) };
  } finally {
    off();
  }
}

/** `rounds` pairs of `seconds`-long windows, the loop's and the app's, alternating. */
export async function benchAppOverhead(threads: number, seconds: number, rounds: number): Promise<AppOverhead> {
  const data = loadMnist();
  const host = await startApp(threads);
  try {
    return await withPool(threads, async () => {
      const trainer = new Trainer(data, config);
      loopWindow(trainer, WARM_UP_MS);
      await appWindow(host, 0, WARM_UP_MS);
      const loop: Rate[] = [];
      const app: Rate[] = [];
      for (let r = 0; r < rounds; r++) {
        loop.push(loopWindow(trainer, seconds * 1000));
        // A short lead after Train, so the window starts with the steps already coming.
        app.push(await appWindow(host, seconds * 1000, 100));
      }
      const pairs = (of: (rate: Rate) => number) => median(app.map((a, i) => of(a) / of(loop[i])));
      return {
        seconds,
        rounds,
        loopSamplesPerSecond: Math.round(median(loop.map((r) => r.samplesPerSecond))),
        appSamplesPerSecond: Math.round(median(app.map((r) => r.samplesPerSecond))),
        ratio: round(
          pairs((r) => r.samplesPerSecond),
          3,
        ),
        cpuRatio: round(
          pairs((r) => r.samplesPerCpuSecond),
          3,
        ),
      };
    });
  } finally {
    await host.dispose();
  }
}

/** The same, one thread each, in a child process pinned to core 0; why not, where taskset is missing or the run fails. */
export function benchAppOverheadOneCore(seconds: number, rounds: number): AppOverhead | { unavailable: string } {
  const entry = fileURLToPath(new URL('./appOneCore.ts', import.meta.url));
  const child = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, entry, String(seconds), String(rounds)], { encoding: 'utf8' });
  if (child.error) return { unavailable: `taskset: ${child.error.message}` };
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) return { unavailable: `the pinned run failed (exit ${child.status}): ${child.stderr.trim().split('\n').at(-1) ?? ''}` };
  return JSON.parse(line) as AppOverhead;
}

// Timing helpers for the benchmarks: repeat until a time budget is spent, keep the median
// of several windows (the machine is shared, so the median resists other processes' bursts).

export interface Timing {
  /** Median wall seconds per call. */
  seconds: number;
  /** Mean CPU seconds per call, all threads of the process: on a busy machine this shows what
   * the work costs when nothing else competes (wall time then includes waiting for a core). */
  cpuSeconds: number;
  calls: number;
}

/** CPU seconds this process (every thread of it) has used so far. */
export const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export function timeCalls(fn: () => void, budgetMs: number, windows = 5): Timing {
  fn(); // warm up: JIT, memory growth, lazy worker start
  const perWindow: number[] = [];
  let calls = 0;
  const cpuStart = cpuNow();
  const windowMs = budgetMs / windows;
  for (let w = 0; w < windows; w++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    do {
      fn();
      n++;
      now = performance.now();
    } while (now - start < windowMs);
    perWindow.push((now - start) / 1000 / n);
    calls += n;
  }
  return { seconds: median(perWindow), cpuSeconds: (cpuNow() - cpuStart) / calls, calls };
}

export async function timeCallsAsync(fn: () => Promise<void>, budgetMs: number, windows = 5): Promise<Timing> {
  await fn();
  const perWindow: number[] = [];
  let calls = 0;
  const cpuStart = cpuNow();
  const windowMs = budgetMs / windows;
  for (let w = 0; w < windows; w++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    do {
      await fn();
      n++;
      now = performance.now();
    } while (now - start < windowMs);
    perWindow.push((now - start) / 1000 / n);
    calls += n;
  }
  return { seconds: median(perWindow), cpuSeconds: (cpuNow() - cpuStart) / calls, calls };
}

/** The middle value (the upper one of the two middles for an even count). */
export function median(values: readonly number[]): number {
  return values.slice().sort((x, y) => x - y)[Math.floor(values.length / 2)];
}

export const rssMiB = (): number => process.memoryUsage().rss / 2 ** 20;

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// Training health, per layer, over training (issue 18): what the training worker measures
// now and then (main/training/health.ts) and what the health panel draws. Pure data and
// pure functions, shared by both sides.
//
// Histograms have fixed bins: a layer's range is set by its first sample of the run and
// kept (values outside it count in the two overflow bins), so the strip of histograms
// over time compares like with like. The history is bounded (HealthHistory): however long
// a run is, it keeps at most `capacity` samples, evenly thinned as it grows.

/** Bins of a histogram between its edges; values below or above go to `under` / `over`. */
export const HISTOGRAM_BINS = 24;

/** Full samples on each of the first steps of a run: an explosion in the first steps is seen step by step. */
export const EARLY_STEPS = 20;
/**
 * After that, a full sample at most this often: about once a second. A sample costs ~10 steps'
 * time on the default model (the weight histogram, the update ratio, the unfused forward);
 * twice a second, with the metrics posts, kept the app's worker ~2 % behind the plain loop
 * (bench appVsLoop). The health panel says this rhythm in words.
 */
export const SAMPLE_INTERVAL_MS = 1000;

/** The sampling rhythm as the health panel says it. */
export function samplingRhythmText(): string {
  const every = SAMPLE_INTERVAL_MS === 1000 ? 'about once a second' : `about every ${SAMPLE_INTERVAL_MS / 1000} s`;
  return `measured in the trainer ${every} (every step for the first ${EARLY_STEPS} steps, and while gradients climb fast)`;
}

export interface Histogram {
  /** The left edge of the first bin and the right edge of the last (fixed for the run). */
  lo: number;
  hi: number;
  /** HISTOGRAM_BINS counts. */
  counts: number[];
  under: number;
  over: number;
  /** Values that were NaN or infinite. */
  nonFinite: number;
}

/** What one layer looked like at one step. Absent fields do not apply to the layer's kind. */
export interface LayerHealth {
  /** The layer's name in the spec (`l1`, `act`, …). */
  layer: string;
  /** The L2 norm of the gradient of all the layer's parameters. */
  gradNorm?: number;
  /** ‖Δw‖ / ‖w‖ over this step for the layer's parameters (the ~1e-3 rule of thumb). */
  updateRatio?: number;
  /** Share of the units (channels for images) that are 0 for every example of the batch: dead ReLUs. */
  deadFraction?: number;
  /** The layer's weight (its `.weight` parameter). */
  weights?: Histogram;
  /** The layer's output over the batch. */
  activations?: Histogram;
}

export interface HealthSample {
  step: number;
  /** The step's batch loss: an explosion raises it, a healthy warm-up lowers it (healthNotes.ts). */
  loss?: number;
  layers: LayerHealth[];
}

/** Where a run that diverged went wrong: the step, and the layer where it started. */
export interface Divergence {
  step: number;
  loss: number;
  /** The layer where non-finite values (or the explosion) started, null when none stands out. */
  layer: string | null;
  /** What was found in that layer, in plain words. */
  reason: string;
  /** The figures behind it (gradient norms, the float32 limit), shown behind "details". */
  detail?: string;
  /** The last settings change before it (the step it applied from): the start is looked for only after it. */
  settingsChangedAt?: number;
}

/** The `health` event: samples taken since the last event, and a divergence when the run just stopped on one. */
export interface HealthEvent {
  /** The run (RunInfo.id) the samples belong to: a new run starts a new history. */
  run: number;
  samples: HealthSample[];
  diverged: Divergence | null;
}

/** The answer to getHealth(): the kept history of the run. */
export interface HealthHistoryView {
  run: number;
  samples: HealthSample[];
  diverged: Divergence | null;
}

/** The update/weight ratio's rule of thumb (cs231n): around 1e-3 per step is healthy. */
export const UPDATE_RATIO_RULE = 1e-3;

/** A range for a layer's histograms from its first values: symmetric when they have both signs, padded by half. */
export function histogramRange(values: ArrayLike<number>): { lo: number; hi: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return { lo: -1, hi: 1 };
  if (min >= 0) return { lo: 0, hi: niceCeil(Math.max(max * 1.5, 1e-6)) };
  const m = niceCeil(Math.max(Math.abs(min), Math.abs(max), 1e-6) * 1.5);
  return { lo: -m, hi: m };
}

/** The smallest 1, 2 or 5 × 10^k at least `x` (> 0). */
export function niceCeil(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/** Counts `values` into HISTOGRAM_BINS bins between `lo` and `hi` (the last bin includes `hi`). */
export function histogram(values: ArrayLike<number>, lo: number, hi: number): Histogram {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  let under = 0;
  let over = 0;
  let nonFinite = 0;
  const scale = HISTOGRAM_BINS / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v > -Infinity && v < Infinity)) nonFinite++;
    else if (v < lo) under++;
    else if (v > hi) over++;
    else counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - lo) * scale))]++;
  }
  return { lo, hi, counts, under, over, nonFinite };
}

/** The default number of samples a history keeps. */
export const HEALTH_HISTORY_CAPACITY = 128;

/**
 * The samples of a run, at most `capacity` of them: when full, every other sample is dropped
 * (the first and the newest kept) and from then on only every `stride`-th offered sample is
 * kept, so the history covers the whole run evenly with bounded memory, however long it is.
 * The samples of a few recent steps are always kept whole (`recent`), so what happened just
 * before a divergence is never thinned away.
 */
export class HealthHistory {
  private kept: HealthSample[] = [];
  private stride = 1;
  private offered = 0;
  private recentSamples: HealthSample[] = [];

  constructor(
    readonly capacity = HEALTH_HISTORY_CAPACITY,
    readonly recent = 16,
  ) {
    if (capacity < 4 || capacity % 2 !== 0) throw new RangeError('HealthHistory: capacity must be an even number of at least 4');
  }

  push(sample: HealthSample): void {
    this.recentSamples.push(sample);
    if (this.recentSamples.length > this.recent) this.recentSamples.shift();
    if (this.offered++ % this.stride !== 0) return;
    this.kept.push(sample);
    if (this.kept.length >= this.capacity) {
      this.kept = this.kept.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  /** The kept samples and the recent ones, in step order, each step once. */
  samples(): HealthSample[] {
    const byStep = new Map<number, HealthSample>();
    for (const s of this.kept) byStep.set(s.step, s);
    for (const s of this.recentSamples) byStep.set(s.step, s);
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }

  get size(): number {
    return this.kept.length + this.recentSamples.length;
  }

  /** Drops the samples after `step` (Restore best rewinds the run). */
  truncate(step: number): void {
    this.kept = this.kept.filter((s) => s.step <= step);
    this.recentSamples = this.recentSamples.filter((s) => s.step <= step);
  }
}

// Training health, measured in the training worker (issue 18, item 5): per layer, the
// gradient norm, the update/weight ratio, the share of dead ReLUs, and histograms of the
// weights and the activations; and, when a run diverges, the layer where it started.
//
// Cheap by design. Every NORM_EVERY-th step costs the per-layer gradient norms (one pass over
// the gradients), which feed the divergence diagnosis. A full sample (histograms, dead units,
// the update ratio, which needs the weights before the step) is taken on the first EARLY_STEPS
// steps, then at most every SAMPLE_INTERVAL_MS, and on every step while the gradient norm is
// climbing fast (so an explosion is seen step by step).
// Samples go to a bounded HealthHistory and out as `health` events with the metrics.
import { gradNorm, ParameterSnapshot, type Tensor } from '../../engine';
import {
  EARLY_STEPS,
  histogram,
  histogramRange,
  SAMPLE_INTERVAL_MS,
  HealthHistory,
  type Divergence,
  type HealthEvent,
  type HealthHistoryView,
  type HealthSample,
  type Histogram,
  type LayerHealth,
} from '../../shared/insight/health';
import type { SpecModel } from '../model/specModel';
import { LAYER_KINDS, type LayerType } from '../../shared/model/layerKinds';
import { DivergedError } from './divergence';

/** Looks at a training step from inside (Trainer.trainStep calls it; see trainer.ts). */
export interface StepProbe {
  /** Before the forward pass. */
  beforeStep?(): void;
  /** Whether this step's forward pass should keep every layer's output (slower: no fused layers). */
  wantsOutputs?(): boolean;
  /** After the forward pass, before the loss is checked: every layer's output (when wanted). */
  afterForward?(outputs: Tensor[]): void;
  /** After backward, before the optimizer's step: the gradients are in place. */
  afterBackward?(): void;
  /** After the optimizer's step, with the step's loss. */
  afterStep?(step: number, loss?: number): void;
  /**
   * The loss is not usable (divergence.ts): called inside the step, because its tensors (every
   * layer's output) live in the step's arena and are gone once the step ends.
   */
  diverged?(): void;
}

/**
 * A gradient norm this many times its last sampled value, on two steps in a row, makes every
 * step a sample while it lasts. One such step alone only has the next step's norm measured: at
 * batch 32 single steps jump 5× several times a second, and each full sample they triggered cost
 * ~10 steps' time (most of the health monitor's cost); an explosion grows on every step.
 */
const ALERT_GROWTH = 5;
/**
 * ...and this many times the recent measured steps' high norm: this quantile of them. Late in
 * training most batches are learnt and their gradients tiny, so the norms are heavy-tailed: against
 * the median, two ordinary large batches in a row set off an alert (83 in 60 000 default steps, each
 * then sampling steps at ~10 steps' time apiece); against the 90th percentile, 6. An explosion
 * outgrows any quantile of the steps before it alike (simulated on the same 60 000 steps' norms
 * growing 1.5–10× a step from step 30 000: sampled from the same step for the median and this).
 */
const ALERT_QUANTILE = 0.9;
/** A layer whose gradient norm grows this many times its smallest recent value has exploded. */
const EXPLODED_GROWTH = 10;
/** Gradient norms kept for the diagnosis (taken on every NORM_EVERY-th step, and on every sampled one). */
const RECENT_STEPS = 64;
/**
 * Between samples, the gradient norms are measured on every this-many-th step: a pass over the
 * default model's 101 770 gradients was ~0.1 ms in JS (5–8 % of a step if done every step; the
 * engine's gradNorm takes ~15 µs in WASM SIMD); an explosion, which takes a few
 * steps to build, is still caught (from then on every step is sampled).
 */
export const NORM_EVERY = 8;

interface LayerSlot {
  name: string;
  index: number;
  kind: LayerType;
  params: Tensor[];
  weight: Tensor | null;
  /** The parameters before the step of a full sample, for the update ratio (null: the layer has none). */
  before: ParameterSnapshot | null;
}

/** Measures one model (one Trainer). A new trainer gets a new collector. */
export class HealthCollector {
  private readonly layers: LayerSlot[];
  private readonly ranges = new Map<string, { lo: number; hi: number }>();
  private sampling = false;
  private lastSampleAt = -Infinity;
  /** Every layer's output in this step (sampled steps only); the arena reuses them after it. */
  private outputs: Tensor[] | null = null;
  /** The outputs of the step that diverged, copied out of its arena for diagnose(). */
  private divergedOutputs: Float32Array[] | null = null;
  private pending: LayerHealth[] | null = null;
  /** Per layer with parameters: its gradient norm at each recent step. */
  private readonly norms: { step: number; values: number[]; total: number }[] = [];
  private lastSampledNorm = 0;
  private alert = false;
  /** The last measured step grew ALERT_GROWTH times: measure the next one too. */
  private suspect = false;
  private currentNorms: number[] | null = null;
  private step = 0;
  /** Gradient norms are measured on every step up to this one (after a settings change, for the divergence diagnosis). */
  private measureUntil = 0;

  constructor(
    model: SpecModel,
    private readonly now: () => number = () => performance.now(),
  ) {
    const named = model.namedParameters();
    this.layers = model.spec.layers.map((layer, index) => {
      const params = named.filter(([n]) => n.startsWith(`${layer.name}.`)).map(([, p]) => p);
      const weight = named.find(([n]) => n === `${layer.name}.weight`)?.[1] ?? null;
      return { name: layer.name, index, kind: layer.type, params, weight, before: params.length > 0 ? new ParameterSnapshot(params) : null };
    });
  }

  /** The probe for the next step (`step` is its number). */
  probe(step: number): StepProbe {
    const sample = step <= EARLY_STEPS || this.alert || this.now() - this.lastSampleAt >= SAMPLE_INTERVAL_MS;
    this.sampling = sample;
    this.step = step;
    return this.stepProbe;
  }

  private readonly stepProbe: StepProbe = {
    wantsOutputs: () => this.sampling,
    beforeStep: () => {
      this.outputs = null;
      this.divergedOutputs = null;
      if (!this.sampling) return;
      for (const slot of this.layers) slot.before?.take();
    },
    afterForward: (outputs) => {
      this.outputs = outputs;
    },
    diverged: () => {
      this.divergedOutputs = this.outputs?.map((out) => out.data.slice()) ?? null;
      this.outputs = null;
    },
    afterBackward: () => {
      const measure = this.sampling || this.suspect || this.step % NORM_EVERY === 0 || this.step <= this.measureUntil;
      this.currentNorms = measure ? this.layers.map((slot) => (slot.params.length > 0 ? gradNorm(slot.params) : 0)) : null;
      if (this.sampling) this.pending = this.activationStats();
    },
    afterStep: (step, loss) => {
      this.outputs = null;
      const norms = this.currentNorms;
      if (!norms) return;
      const total = Math.hypot(...norms);
      this.norms.push({ step, values: norms, total });
      if (this.norms.length > RECENT_STEPS) this.norms.shift();
      // Against the last sample, and the recent steps' high norm too when that sample was a quiet
      // moment (that quantile, a sort, only for a step that grew over the sample).
      const grew = this.lastSampledNorm > 0 && total > ALERT_GROWTH * this.lastSampledNorm && total > ALERT_GROWTH * this.recentHighNorm();
      this.alert = grew && (this.suspect || this.alert);
      this.suspect = grew && !this.alert;
      if (!this.sampling || !this.pending) return;
      const layers = this.pending;
      this.pending = null;
      this.lastSampledNorm = total;
      this.lastSampleAt = this.now();
      this.layers.forEach((slot, i) => {
        if (slot.params.length === 0) return;
        const entry = layers[i];
        entry.gradNorm = norms[i];
        const ratio = slot.before?.updateRatio() ?? null;
        if (ratio !== null) entry.updateRatio = ratio;
        if (slot.weight) entry.weights = this.histogramOf(`${slot.name}.w`, slot.weight.data);
      });
      this.samples.push({ step, ...(loss !== undefined ? { loss } : {}), layers: layers.filter((l) => Object.keys(l).length > 1) });
    },
  };

  /** New settings from the step after `step`: their first EARLY_STEPS steps have their gradient norms measured. */
  settingsChanged(step: number): void {
    this.measureUntil = step + EARLY_STEPS;
  }

  /** Full samples taken since the last call. */
  readonly samples: HealthSample[] = [];

  takeSamples(): HealthSample[] {
    return this.samples.splice(0, this.samples.length);
  }

  /** The ALERT_QUANTILE of the whole gradient norms of the measured steps before this one (the last entry of `norms` is this step's). */
  private recentHighNorm(): number {
    const totals = this.norms
      .slice(0, -1)
      .map(({ total }) => total)
      .sort((a, b) => a - b);
    return totals.length === 0 ? 0 : totals[Math.floor(ALERT_QUANTILE * (totals.length - 1))];
  }

  private activationStats(): LayerHealth[] {
    const outputs = this.outputs;
    return this.layers.map((slot) => {
      const entry: LayerHealth = { layer: slot.name };
      const out = outputs?.[slot.index];
      if (!out) return entry;
      const drawn = slot.params.length > 0 || isActivationKind(slot.kind);
      if (drawn) entry.activations = this.histogramOf(`${slot.name}.a`, out.data);
      if (slot.kind === 'relu') entry.deadFraction = deadFraction(out);
      return entry;
    });
  }

  private histogramOf(key: string, values: Float32Array): Histogram {
    let range = this.ranges.get(key);
    if (!range) this.ranges.set(key, (range = histogramRange(values)));
    return histogram(values, range.lo, range.hi);
  }

  /**
   * Where a divergence started: the first layer whose weights or output are not finite; else the
   * layer whose gradient norm first grew EXPLODED_GROWTH times over its smallest recent value;
   * else the layer with the largest output.
   */
  diagnose(error: DivergedError, settingsChangedAt = 0): Divergence {
    const since = settingsChangedAt > 0 ? ` Looked for only since the settings changed (step ${settingsChangedAt}): the steps before ran with other settings.` : '';
    const base = { step: error.step, loss: error.loss, ...(settingsChangedAt > 0 ? { settingsChangedAt } : {}) };
    const withDetail = (found: { layer: string | null; reason: string; detail?: string }): Divergence => ({
      ...base,
      ...found,
      detail: [found.detail, error.detail].filter(Boolean).join(' ') + since,
    });
    for (const slot of this.layers) {
      for (const p of slot.params) {
        const bad = firstNonFinite(p.data);
        if (bad !== null) return withDetail({ layer: slot.name, reason: 'its weights stopped being numbers', detail: `Its parameters hold ${bad}: the step before pushed them beyond float32.` });
      }
      const out = this.divergedOutputs?.[slot.index];
      const bad = out ? firstNonFinite(out) : null;
      if (bad !== null)
        return withDetail({ layer: slot.name, reason: 'its output grew too large to compute', detail: `Its output is ${bad} for this batch, with finite weights: its values grew beyond float32.` });
    }
    const exploded = this.firstExplosion(settingsChangedAt);
    if (exploded) return withDetail(exploded);
    let largest: { layer: string; value: number } | null = null;
    for (const slot of this.layers) {
      const out = this.divergedOutputs?.[slot.index];
      if (!out) continue;
      const value = maxAbs(out);
      if (!largest || value > largest.value) largest = { layer: slot.name, value };
    }
    if (largest) return withDetail({ layer: largest.layer, reason: 'its output was the largest', detail: `Its output reached ${fmt(largest.value)}.` });
    return withDetail({ layer: null, reason: 'no layer stands out' });
  }

  /** The first layer whose gradient norm grew EXPLODED_GROWTH times, among the steps after `after` (the last settings change). */
  private firstExplosion(after: number): { layer: string; reason: string; detail: string } | null {
    const minimum = this.layers.map(() => ({ value: Infinity, step: 0 }));
    for (const { step, values } of this.norms) {
      if (step <= after) continue;
      let found: { i: number; ratio: number } | null = null;
      values.forEach((v, i) => {
        if (this.layers[i].params.length === 0) return;
        const min = minimum[i];
        const ratio = v / min.value;
        if (min.value > 0 && ratio >= EXPLODED_GROWTH && (!found || ratio > found.ratio)) found = { i, ratio };
      });
      if (found) {
        const { i } = found as { i: number; ratio: number };
        const min = minimum[i];
        const peak = this.norms.filter((n) => n.step >= step).reduce((a, n) => (n.values[i] > a.value ? { value: n.values[i], step: n.step } : a), { value: 0, step });
        return {
          layer: this.layers[i].name,
          reason: 'its gradients grew first and fastest',
          detail: `Its gradient norm: ${fmt(min.value)} at step ${min.step}, ${fmt(values[i])} at step ${step}${peak.step > step ? `, ${fmt(peak.value)} at step ${peak.step}` : ''}.`,
        };
      }
      values.forEach((v, i) => {
        if (v < minimum[i].value) minimum[i] = { value: v, step };
      });
    }
    return null;
  }
}

/** Whether a layer kind's outputs are activations worth a histogram: the registry's role says, so a new activation gets one. */
function isActivationKind(kind: LayerType): boolean {
  return LAYER_KINDS[kind].role === 'activation';
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/** Units (the last axis for vectors, the channel axis for images [N, C, H, W]) that are 0 for every example of the batch. */
export function deadFraction(out: Tensor): number {
  const [n, c] = out.shape;
  const inner = out.shape.length > 2 ? out.shape.slice(2).reduce((a, b) => a * b, 1) : 1;
  const units = out.shape.length > 2 ? c : out.shape.slice(1).reduce((a, b) => a * b, 1);
  const alive = new Uint8Array(units);
  const data = out.data;
  if (out.shape.length > 2) {
    for (let b = 0; b < n; b++)
      for (let ch = 0; ch < c; ch++) {
        if (alive[ch]) continue;
        const start = (b * c + ch) * inner;
        for (let k = 0; k < inner; k++)
          if (data[start + k] !== 0) {
            alive[ch] = 1;
            break;
          }
      }
  } else {
    for (let b = 0; b < n; b++) for (let u = 0; u < units; u++) if (data[b * units + u] !== 0) alive[u] = 1;
  }
  let dead = 0;
  for (const a of alive) if (!a) dead++;
  return units > 0 ? dead / units : 0;
}

function firstNonFinite(values: Float32Array): string | null {
  for (const v of values) if (!Number.isFinite(v)) return String(v);
  return null;
}

function maxAbs(values: Float32Array): number {
  let m = 0;
  for (const v of values) if (Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/**
 * The session's side: one collector per trainer, one history per run, events with the metrics,
 * and the diagnosis when a run diverges.
 */
export class HealthMonitor {
  private collector: HealthCollector | null = null;
  private model: SpecModel | null = null;
  private run = 0;
  private history = new HealthHistory();
  private diverged: Divergence | null = null;
  private unsent: HealthSample[] = [];
  private divergenceUnsent = false;
  /** The step the run's settings last changed from (0: never): a divergence's start is looked for after it. */
  private settingsChangedAt = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The probe for `model`'s next step `step` in run `run` (a new model or run starts afresh). */
  probe(model: SpecModel | undefined, run: number, step: number): StepProbe | undefined {
    if (!model) return undefined;
    this.follow(model, run);
    return this.collector!.probe(step);
  }

  private follow(model: SpecModel | null, run: number): void {
    if (run !== this.run) {
      this.run = run;
      this.history = new HealthHistory();
      this.unsent = [];
      this.collector = null;
      this.settingsChangedAt = 0;
    }
    if (model && (model !== this.model || !this.collector)) {
      this.model = model;
      this.collector = new HealthCollector(model, this.now);
    }
    this.diverged = null;
  }

  /** Moves the collector's new samples into the history; the event to emit, if there is news. */
  event(run: number): HealthEvent | null {
    if (run !== this.run) return null;
    const fresh = this.collector?.takeSamples() ?? [];
    for (const s of fresh) this.history.push(s);
    this.unsent.push(...fresh);
    if (this.unsent.length === 0 && !this.divergenceUnsent) return null;
    const samples = this.unsent;
    this.unsent = [];
    this.divergenceUnsent = false;
    return { run: this.run, samples, diverged: this.diverged };
  }

  /** The layer and reason of a divergence, kept for the panel; the samples before it stay in the history. */
  diagnose(error: DivergedError): Divergence {
    const divergence = this.collector?.diagnose(error, this.settingsChangedAt) ?? { step: error.step, loss: error.loss, layer: null, reason: 'no layer stands out', detail: error.detail };
    this.diverged = divergence;
    this.divergenceUnsent = true;
    return divergence;
  }

  view(run: number): HealthHistoryView {
    if (run !== this.run) return { run, samples: [], diverged: null };
    return { run, samples: this.history.samples(), diverged: this.diverged };
  }

  /** The settings of run `run` changed after step `step` (steps from `step + 1` run with the new ones). */
  settingsChanged(run: number, step: number): void {
    if (run !== this.run) {
      this.follow(null, run);
    }
    this.settingsChangedAt = step;
    this.collector?.settingsChanged(step);
  }

  /** Restore best cut the run back to `step`. */
  truncate(step: number): void {
    this.history.truncate(step);
  }
}

/** The sentence the error message gives the diagnosis. */
export function divergenceOrigin(d: Divergence): string {
  return d.layer ? `It started in ${d.layer}: ${d.reason}.` : `No layer stands out as where it started.`;
  // The figures (d.detail) stay behind the panel's "details"; the status line keeps to plain words.
}

// What the health panel says about a layer in words (issue 18, reworded in issue 25): exploding
// or vanishing gradients, dead units, updates too large. Pure, so the notes a real run would
// get can be checked in Node on the trainer's own samples.
//
// An exploding gradient is not "larger than at step 1": a healthy network's gradient norm
// often grows ×10–×20 over its first hundreds of steps (the first layers start nearly
// silent) and then levels off, while the loss falls. An explosion grows against the recent
// steps, not the first one, and the loss goes up with it. So a note needs both: the norm
// EXPLODING_GROWTH times the median of the RECENT_SAMPLES samples before it, and the batch
// loss higher than at any of them.
import type { HealthSample, Histogram } from './health';

export interface LayerSeries {
  layer: string;
  steps: number[];
  gradNorm: (number | undefined)[];
  updateRatio: (number | undefined)[];
  dead: (number | undefined)[];
  /** The batch loss at each sample's step (undefined in histories from before it was kept). */
  loss: (number | undefined)[];
  weights: { step: number; h: Histogram }[];
  activations: { step: number; h: Histogram }[];
}

/** A gradient norm this many times the recent median, with the loss rising, is an explosion. */
export const EXPLODING_GROWTH = 10;
/** The samples an explosion is measured against. */
export const RECENT_SAMPLES = 16;
/** A share of dead units at or above this is worth a note. */
export const DEAD_NOTE = 0.5;
/** Updates above this share of the weights a step are worth a note (the rule of thumb is 1e-3). */
export const LARGE_UPDATE = 0.1;

export function layerSeries(samples: HealthSample[]): LayerSeries[] {
  const byLayer = new Map<string, LayerSeries>();
  for (const s of samples) {
    for (const l of s.layers) {
      let series = byLayer.get(l.layer);
      if (!series) byLayer.set(l.layer, (series = { layer: l.layer, steps: [], gradNorm: [], updateRatio: [], dead: [], loss: [], weights: [], activations: [] }));
      series.steps.push(s.step);
      series.gradNorm.push(l.gradNorm);
      series.updateRatio.push(l.updateRatio);
      series.dead.push(l.deadFraction);
      series.loss.push(s.loss);
      if (l.weights) series.weights.push({ step: s.step, h: l.weights });
      if (l.activations) series.activations.push({ step: s.step, h: l.activations });
    }
  }
  return [...byLayer.values()];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The first sample where the layer's gradient exploded (see the top of the file), or null. */
export function explosion(series: LayerSeries): { step: number; growth: number; since: number } | null {
  const points = series.steps
    .map((step, i) => ({ step, norm: series.gradNorm[i], loss: series.loss[i] }))
    .filter((p): p is { step: number; norm: number; loss: number } => p.norm !== undefined && Number.isFinite(p.norm) && p.loss !== undefined && Number.isFinite(p.loss));
  for (let i = 1; i < points.length; i++) {
    const recent = points.slice(Math.max(0, i - RECENT_SAMPLES), i);
    const base = median(recent.map((p) => p.norm));
    const p = points[i];
    if (base > 0 && p.norm >= EXPLODING_GROWTH * base && p.loss > Math.max(...recent.map((r) => r.loss))) {
      return { step: p.step, growth: p.norm / base, since: recent[0].step };
    }
  }
  return null;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-2) return v.toExponential(1);
  return a >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(2)));
}

/** What stands out in a layer's series, each note saying what it means first and the figure after. */
export function healthNotes(series: LayerSeries): string[] {
  const out: string[] = [];
  const exploded = explosion(series);
  if (exploded) {
    out.push(`exploding gradients: at step ${exploded.step} its gradient was ×${fmt(exploded.growth)} the steps before (${exploded.since}–) and the loss rose with it`);
  } else {
    const norms = series.gradNorm.filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (norms.length >= 2 && norms[0] > 0 && norms[norms.length - 1] <= norms[0] / 100)
      out.push('vanishing gradients: this layer has almost stopped learning (its gradient is 100× smaller than at the start)');
  }
  const dead = series.dead.filter((v): v is number => v !== undefined);
  const lastDead = dead[dead.length - 1];
  if (lastDead !== undefined && lastDead >= DEAD_NOTE)
    out.push(`${Math.round(lastDead * 100)} % of its units output 0 for every digit of the last measured batch (dead ReLUs): they pass no gradient, so they stop learning`);
  const ratios = series.updateRatio.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const r = ratios[ratios.length - 1];
  if (r !== undefined && r > LARGE_UPDATE) out.push(`steps too large: each step changes its weights by ${fmt(r * 100)} % (healthy is about 0.1 %)`);
  return out;
}

// What the charts draw: at most `maxPoints` rows picked from the full curves, or from the
// step range the user zoomed into (so zooming shows more detail, not bigger pixels).
// Loss keeps each bucket's min and max of the raw values (spikes stay visible); accuracy
// is smooth enough for an even stride.
import { minMaxIndices, strideIndices } from '../lib/downsample';
import type { EvaluationPoint } from '../../shared/contract';
import type { Curves } from './series';
import { MNIST_CLASSES } from '../../shared/mnist';

/**
 * Where a network that guesses uniformly at random sits: cross-entropy ln 10 ≈ 2.30 and one
 * answer in ten right. A fresh network starts there; the charts draw it as a reference.
 */
export const CHANCE_LOSS = Math.log(MNIST_CLASSES);
export const CHANCE_ACCURACY = 1 / MNIST_CLASSES;

/** A row that draws only the chance line. */
export interface ChanceRow {
  step: number;
  chance: number;
}

export interface LossPoint extends ChanceRow {
  loss: number;
  lossEma: number;
}

export interface AccuracyPoint extends ChanceRow {
  accuracy: number;
  accuracyEma: number;
}

/** Before the first step the chance line spans this many steps, so an empty chart already has its axes. */
export const EMPTY_CHART_STEPS = 1000;

/** The chance line's two ends over the steps the x axis spans (stepDomain): a row of its own, so it spans the axis whatever the data. */
export function chanceRows(domain: readonly [number, number], level: number): ChanceRow[] {
  return [
    { step: domain[0], chance: level },
    { step: domain[1], chance: level },
  ];
}

// About two pixels per point at the charts' width: the curve looks the same as with 500,
// and recharts' work per redraw (path, its length, scales) shrinks with the rows.
export const MAX_CHART_POINTS = 300;

/** A range of steps, both ends included; null means everything. */
export type StepRange = readonly [number, number] | null;

/** The first index whose step is ≥ `step` in ascending `steps` (binary search). */
export function lowerBound(steps: ArrayLike<number>, step: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [begin, end) of the indices whose steps lie in `range`, keeping one point beyond each end so lines reach the edges. */
function indexRange(steps: ArrayLike<number>, range: StepRange): [number, number] {
  if (!range) return [0, steps.length];
  const begin = Math.max(0, lowerBound(steps, range[0]) - 1);
  const end = Math.min(steps.length, lowerBound(steps, range[1] + 1e-9) + 1);
  return [begin, Math.max(begin, end)];
}

/**
 * Loss rows within `range`; `floor` lifts values below it (a log axis cannot draw 0, and a
 * batch the model gets all right can have a loss that rounds to 0 in float32).
 */
export function lossPoints(curves: Curves, maxPoints = MAX_CHART_POINTS, range: StepRange = null, floor = 0): LossPoint[] {
  const [begin, end] = indexRange(curves.step.view(), range);
  const step = curves.step.view().subarray(begin, end);
  const loss = curves.loss.view().subarray(begin, end);
  const ema = curves.lossEma.view().subarray(begin, end);
  const picked = minMaxIndices(loss, maxPoints);
  const out: LossPoint[] = new Array(picked.length);
  for (let k = 0; k < picked.length; k++) {
    const i = picked[k];
    out[k] = { step: step[i], loss: Math.max(loss[i], floor), lossEma: Math.max(ema[i], floor), chance: CHANCE_LOSS };
  }
  return out;
}

export function accuracyPoints(curves: Curves, maxPoints = MAX_CHART_POINTS, range: StepRange = null): AccuracyPoint[] {
  const [begin, end] = indexRange(curves.step.view(), range);
  const step = curves.step.view().subarray(begin, end);
  const acc = curves.accuracy.view().subarray(begin, end);
  const ema = curves.accuracyEma.view().subarray(begin, end);
  const picked = strideIndices(step.length, maxPoints);
  const out: AccuracyPoint[] = new Array(picked.length);
  for (let k = 0; k < picked.length; k++) {
    const i = picked[k];
    out[k] = { step: step[i], accuracy: acc[i], accuracyEma: ema[i], chance: CHANCE_ACCURACY };
  }
  return out;
}

/** A previous run's smoothed curve, greyed behind this run's: `value` is its loss or accuracy EMA. */
export interface PreviousPoint {
  step: number;
  value: number;
}

/** The previous run's smoothed loss (or accuracy) within `range`, at most `maxPoints` rows. */
export function previousPoints(curves: Curves, which: 'loss' | 'accuracy', maxPoints = MAX_CHART_POINTS / 2, range: StepRange = null, floor = 0): PreviousPoint[] {
  const [begin, end] = indexRange(curves.step.view(), range);
  const step = curves.step.view().subarray(begin, end);
  const ema = (which === 'loss' ? curves.lossEma : curves.accuracyEma).view().subarray(begin, end);
  return Array.from(strideIndices(step.length, maxPoints), (i) => ({ step: step[i], value: Math.max(ema[i], floor) }));
}

/** Test-set points to draw: those in `range`, at most `maxPoints`, evenly spread, always including the newest. */
export function evaluationPoints(points: readonly EvaluationPoint[], maxPoints = 120, range: StepRange = null): EvaluationPoint[] {
  const inRange = range ? points.filter((p) => p.step >= range[0] && p.step <= range[1]) : points;
  if (inRange.length <= maxPoints) return inRange as EvaluationPoint[];
  return Array.from(strideIndices(inRange.length, maxPoints), (i) => inRange[i]);
}

/** The steps the x axis spans: the zoomed range, else this run's, else the previous run's, else a first thousand. */
export function stepDomain(current: Curves, previous: Curves | null, range: StepRange): [number, number] {
  if (range) return [range[0], range[1]];
  for (const curves of previous ? [current, previous] : [current]) {
    const first = curves.step.length > 0 ? curves.step.at(0) : undefined;
    const last = curves.step.last();
    if (first !== undefined && last !== undefined && last > first) return [first, last];
  }
  const only = current.step.last() ?? 0;
  return [Math.max(0, only - 1), Math.max(only, EMPTY_CHART_STEPS)];
}

/** 1, 2 or 5 times `decade(e)`: the round values axes step by. */
const ROUND = [1, 2, 5] as const;

/** The power of ten with exponent `e`, exactly as written (1e-4, not 0.00009999…). */
const decade = (e: number): number => Number(`1e${e}`);

/** The round values (1-2-5 times a power of ten) from the decade below `lo` to the one above `hi`, ascending. */
function roundValues(lo: number, hi: number): { value: number; power: boolean }[] {
  const out: { value: number; power: boolean }[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of ROUND) out.push({ value: Number((m * decade(e)).toPrecision(1)), power: m === 1 });
  }
  return out;
}

/** Ticks for a log axis over [lo, hi]: 1, 2 and 5 times powers of ten; only the powers of ten when that would be more than seven. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks = roundValues(lo, hi).filter((t) => t.value >= lo && t.value <= hi);
  return (ticks.length > 7 ? ticks.filter((t) => t.power) : ticks).map((t) => t.value);
}

/** The log axis's range: the data's min and max, widened to the round values around them. */
export function logDomain(rows: readonly { loss: number; lossEma: number }[], floor: number): [number, number] {
  let lo = Infinity;
  let hi = CHANCE_LOSS;
  for (const r of rows) {
    for (const v of [r.loss, r.lossEma]) {
      if (!Number.isFinite(v)) continue; // a diverged step's loss has no place on any axis
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!Number.isFinite(lo)) lo = hi;
  lo = Math.max(lo, floor);
  const values = roundValues(lo, hi * 1.0001).map((t) => t.value);
  const below = values.filter((v) => v <= lo);
  const above = values.filter((v) => v >= hi);
  return [Math.max(floor, below.length > 0 ? below[below.length - 1] : values[0]), above.length > 0 ? above[0] : values[values.length - 1]];
}

/**
 * Ticks for a linear value axis: multiples of a round spacing (1, 2, 2.5 or 5 times a power of
 * ten) inside [lo, hi], about `target` of them, each exactly its label (0.5, 1, 1.5), never a
 * quarter step written rounded ("0.8" for 0.75).
 */
export function valueTicks(lo: number, hi: number, target = 5): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const power = 10 ** Math.floor(Math.log10(span / target));
  const count = (s: number) => Math.floor(hi / s + 1e-9) - Math.ceil(lo / s - 1e-9) + 1;
  // The round spacing whose number of ticks comes closest to the target (the wider on a tie).
  const candidates = [power / 10, power, power * 10].flatMap((p) => [1, 2, 2.5, 5].map((m) => m * p)).filter((c) => count(c) >= 2);
  const spacing = candidates.reduce(
    (best, c) => (Math.abs(count(c) - target) < Math.abs(count(best) - target) || (Math.abs(count(c) - target) === Math.abs(count(best) - target) && c > best) ? c : best),
    candidates[0] ?? span,
  );
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / spacing - 1e-9); k * spacing <= hi + spacing * 1e-9; k++) ticks.push(Number((k * spacing).toPrecision(12)));
  return ticks;
}

/** A value tick as written on the axis: its shortest exact form (0.25, 1, 2.5), thousands grouped (1,400). */
export function valueTick(v: number): string {
  return Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** About `target` round step numbers (1, 2 or 5 times a power of ten apart) inside [lo, hi]. */
export function stepTicks(lo: number, hi: number, target = 5): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = Math.max(1, span / target);
  const spacing = roundValues(raw, raw).find((t) => t.value >= raw)?.value ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / spacing) * spacing; t <= hi; t += spacing) ticks.push(Math.round(t));
  return ticks;
}

/**
 * A loss above this has exploded: a diverging run reaches tens or hundreds, and one such point
 * on a linear axis would flatten every curve to the floor. Three times chance: a working run
 * never sits there (it starts at chance and falls).
 */
export const EXPLODED_LOSS = 3 * CHANCE_LOSS;

/** A linear value axis fitted to the readable part of the data, and what fell off its top. */
export interface AxisFit {
  domain: [number, number];
  /** Values above the top (or not finite): drawn at the edge, marked. */
  offScale: number;
  /** The largest of them (Infinity when only non-finite ones), or null when none. */
  highest: number | null;
}

/** Round `x` to the 1-2-5 grid step of a span: `up` rounds up, else down (written exactly, no 0.30000000000000004). */
function roundTo(x: number, spacing: number, up: boolean): number {
  const k = up ? Math.ceil(x / spacing - 1e-9) : Math.floor(x / spacing + 1e-9);
  return Number((k * spacing).toPrecision(12));
}

/** The spacing of about five ticks across `span`: 1, 2 or 5 times a power of ten. */
function tickSpacing(span: number): number {
  const raw = span / 5;
  const e = Math.floor(Math.log10(raw));
  const m = raw / decade(e);
  return Number(((m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * decade(e)).toPrecision(1));
}

/**
 * The loss axis on a linear scale: up to just above the highest value that has not exploded
 * (and at least chance, where a run starts), from 0; zoomed (`zoomed`), from just below the
 * lowest value in view, so the steps zoomed into fill the height. Values above the top are
 * counted to be drawn at the edge and marked.
 */
export function fitLossAxis(values: Iterable<number>, zoomed: boolean): AxisFit {
  const finite: number[] = [];
  let nonFinite = 0;
  for (const v of values) {
    if (Number.isFinite(v)) finite.push(v);
    else nonFinite++;
  }
  const sane = finite.filter((v) => v <= EXPLODED_LOSS);
  const kept = sane.length > 0 ? sane : finite;
  let hi = kept.length > 0 ? Math.max(...kept) : CHANCE_LOSS;
  const lo = zoomed && kept.length > 0 ? Math.min(...kept) : 0;
  if (!zoomed) hi = Math.max(hi, CHANCE_LOSS);
  if (!(hi > lo)) hi = lo + (lo > 0 ? lo * 0.1 : 1);
  const pad = (hi - lo) * 0.04;
  const spacing = tickSpacing(hi - lo + 2 * pad);
  const top = roundTo(hi + pad, spacing, true);
  const bottom = zoomed ? Math.max(0, roundTo(lo - pad, spacing, false)) : 0;
  const off = finite.filter((v) => v > top);
  return { domain: [bottom, top], offScale: off.length + nonFinite, highest: off.length > 0 ? Math.max(...off) : nonFinite > 0 ? Infinity : null };
}

/** The accuracy axis: 0 to 100 %, or, zoomed, fitted to the values in view (a zoomed late run is not a flat line at the top). */
export function fitAccuracyAxis(values: Iterable<number>, zoomed: boolean): [number, number] {
  if (!zoomed) return [0, 1];
  const finite = [...values].filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = Math.max(hi - lo, 0.01);
  const pad = span * 0.04;
  const spacing = tickSpacing(span + 2 * pad);
  return [Math.max(0, roundTo(lo - pad, spacing, false)), Math.min(1, roundTo(hi + pad, spacing, true))];
}

/**
 * Rows with the values of `keys` above `top` (or not finite) drawn at `top`, the row then
 * carrying `offScale: top` for the marker at the edge. Rows within the axis are returned as they are.
 */
export function clampToAxis<T extends object>(rows: readonly T[], keys: readonly string[], top: number): (T & { offScale?: number })[] {
  return rows.map((row) => {
    const values = row as Record<string, unknown>;
    const over = keys.filter((k) => typeof values[k] === 'number' && !((values[k] as number) <= top));
    if (over.length === 0) return row;
    const out: Record<string, unknown> = { ...values, offScale: top };
    for (const k of over) out[k] = top;
    return out as T & { offScale?: number };
  });
}

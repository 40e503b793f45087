// Loading the PyTorch reference fixtures of tests/fixtures and comparing against them.
import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Tensor } from '../../src/engine';

/**
 * tests/fixtures, or the directory DIGITRAIN_FIXTURES names: fixtures of another draw, made by the same scripts with
 * another seed (tests/fixtures/check_other_draws.sh), so that the tests can show they hold for any draw.
 */
export const fixturesDir = process.env.DIGITRAIN_FIXTURES ? resolve(process.env.DIGITRAIN_FIXTURES) + sep : fileURLToPath(new URL('../fixtures/', import.meta.url));

export function readFixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(fixturesDir + name, 'utf8')) as T;
}

export function readFixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturesDir + name));
}

/** |actual − expected| ≤ atol + rtol·|expected| for every element, with the worst offender in the message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}

export function tensorOf(t: { shape: number[]; data: number[] }, requiresGrad = false): Tensor {
  return Tensor.fromArray(t.data, t.shape, { requiresGrad });
}

/**
 * For sums of many products (convolution, matmul): |actual − expected| ≤ atol + rtol·termMagnitude,
 * where termMagnitude[i] = Σ|terms| of element i (the same op on absolute values). A float32 sum
 * of K terms is off by up to ~√K·ε·Σ|terms| whatever its order, so where the terms cancel, an
 * error relative to the result itself measures cancellation, not correctness.
 */
export function expectCloseToTerms(actual: ArrayLike<number>, expected: ArrayLike<number>, termMagnitude: ArrayLike<number>, what: string, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * termMagnitude[i]);
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol} of Σ|terms| ${termMagnitude[worst]}, atol ${atol})`);
  }
}

/** Float32's unit roundoff (2⁻²⁴). */
export const EPS32 = 2 ** -24;

/**
 * Our float32 result against a float64 computation of the same thing (`truth`), with other
 * float32 results of it (PyTorch's own) as the measure of how far float32 rounding alone carries
 * each element: see expectWithinSpread. Never our own engine's results: a wrong kernel would
 * move them as far as ours and widen the bound with its error.
 */
export function expectWithinFloat32Spread(ours: ArrayLike<number>, truth: ArrayLike<number>, others: readonly ArrayLike<number>[], what: string, k = 4): void {
  for (const other of others) expect(other.length, `${what}: length`).toBe(truth.length);
  const spread = Array.from(truth, (t, i) => Math.max(0, ...others.map((other) => Math.abs(other[i] - t))));
  expectWithinSpread(ours, truth, spread, what, k);
}

/**
 * Our float32 result against the float64 truth, given `spread`: per element, how far float32
 * results of the same computation that differ only by rounding land from the truth:
 * |ours − truth| ≤ k·spread + floor, floor = 32·ε₃₂·max|truth| (a few roundings of the
 * tensor's largest value). An element whose result is rounding noise (a cancelling gradient
 * that an adaptive optimizer turns into a full step, a ReLU or max-pool choice that rounding
 * flips) has a large spread and so a large bound; every other element is held to a few ulps.
 */
export function expectWithinSpread(ours: ArrayLike<number>, truth: ArrayLike<number>, spread: ArrayLike<number>, what: string, k = 4): void {
  expect(ours.length, `${what}: length`).toBe(truth.length);
  expect(spread.length, `${what}: length`).toBe(truth.length);
  let scale = 0;
  for (let i = 0; i < truth.length; i++) scale = Math.max(scale, Math.abs(truth[i]));
  const floor = 32 * EPS32 * scale;
  for (let i = 0; i < truth.length; i++) {
    const bound = k * spread[i] + floor;
    if (!(Math.abs(ours[i] - truth[i]) <= bound)) {
      expect.fail(`${what}: element ${i} is ${ours[i]}, float64 truth ${truth[i]} (float32 spread ${spread[i].toExponential(2)}; bound ${bound.toExponential(2)})`);
    }
  }
}

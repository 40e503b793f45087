// Issue 18, item 4: the what-if transforms of a 28×28 input.
import { describe, expect, it } from 'vitest';
import { applyWhatIf, isIdentity, NO_WHAT_IF, shift, WHAT_IF_RANGES } from '../../src/shared/images/whatIf';

/** A 4×8 bar of ink with a gradient, left of centre. */
function bar(): Float32Array {
  const x = new Float32Array(784);
  for (let r = 10; r < 18; r++) for (let c = 8; c < 12; c++) x[r * 28 + c] = (c - 7) / 4;
  return x;
}
const mass = (p: Float32Array) => p.reduce((a, v) => a + v, 0);
function centre(p: Float32Array): [number, number] {
  let m = 0,
    sx = 0,
    sy = 0;
  p.forEach((v, i) => {
    m += v;
    sx += v * (i % 28);
    sy += v * Math.floor(i / 28);
  });
  return [sx / m, sy / m];
}

describe('what-if transforms', () => {
  it('the identity gives the same pixels (a copy)', () => {
    const x = bar();
    const y = applyWhatIf(x, NO_WHAT_IF);
    expect(y).not.toBe(x);
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(isIdentity(NO_WHAT_IF)).toBe(true);
  });

  it('a whole-pixel shift moves every pixel exactly, and loses what leaves the field', () => {
    const x = bar();
    const y = shift(x, 3, -2);
    for (let r = 0; r < 28; r++)
      for (let c = 0; c < 28; c++) {
        const from = r + 2 < 28 && c - 3 >= 0 ? x[(r + 2) * 28 + c - 3] : 0;
        expect(y[r * 28 + c]).toBe(from);
      }
    expect(mass(shift(x, -6, 0))).toBeCloseTo(mass(x), 5); // still inside
    expect(mass(shift(x, 0, -6))).toBeCloseTo(mass(x), 5);
    expect(mass(shift(x, -6, 0))).toBe(mass(x));
  });

  it('rotating by 90° about the centre turns a horizontal line vertical; ±30° keeps the ink', () => {
    const x = new Float32Array(784);
    for (let c = 8; c < 20; c++) x[13 * 28 + c] = 1;
    const r = applyWhatIf(x, { ...NO_WHAT_IF, rotate: 90 });
    let vertical = 0;
    for (let row = 0; row < 28; row++) vertical += r[row * 28 + 14] + r[row * 28 + 13];
    expect(vertical).toBeGreaterThan(8);
    const r30 = applyWhatIf(bar(), { ...NO_WHAT_IF, rotate: 30 });
    expect(mass(r30)).toBeCloseTo(mass(bar()), 0);
  });

  it('scaling grows or shrinks the ink by about the square of the factor, about the centre', () => {
    const x = bar();
    expect(mass(applyWhatIf(x, { ...NO_WHAT_IF, scale: 1.4 })) / mass(x)).toBeCloseTo(1.96, 0);
    expect(mass(applyWhatIf(x, { ...NO_WHAT_IF, scale: 0.6 })) / mass(x)).toBeCloseTo(0.36, 0);
    const [cx] = centre(applyWhatIf(x, { ...NO_WHAT_IF, scale: 1.4 }));
    expect(cx).toBeLessThan(centre(x)[0]); // left of centre moves further left
  });

  it('thickness dilates or erodes the strokes, fractions in between', () => {
    const x = bar();
    const thick = mass(applyWhatIf(x, { ...NO_WHAT_IF, thickness: 1 }));
    const half = mass(applyWhatIf(x, { ...NO_WHAT_IF, thickness: 0.5 }));
    const thin = mass(applyWhatIf(x, { ...NO_WHAT_IF, thickness: -1 }));
    expect(thick).toBeGreaterThan(half);
    expect(half).toBeGreaterThan(mass(x));
    expect(thin).toBeLessThan(mass(x));
  });

  it('noise: the same pattern for the same seed, in [0, 1], of the amplitude asked', () => {
    const x = bar();
    const a = applyWhatIf(x, { ...NO_WHAT_IF, noise: 0.3 }, 7);
    expect(Array.from(applyWhatIf(x, { ...NO_WHAT_IF, noise: 0.3 }, 7))).toEqual(Array.from(a));
    expect(a.every((v) => v >= 0 && v <= 1)).toBe(true);
    const diff = a.map((v, i) => Math.abs(v - x[i]));
    expect(Math.max(...diff)).toBeLessThanOrEqual(0.3 + 1e-6);
    expect(Math.max(...diff)).toBeGreaterThan(0.2);
  });

  it('the sliders cover the issue’s ranges', () => {
    expect([WHAT_IF_RANGES.shiftX.min, WHAT_IF_RANGES.shiftX.max]).toEqual([-6, 6]);
    expect([WHAT_IF_RANGES.rotate.min, WHAT_IF_RANGES.rotate.max]).toEqual([-30, 30]);
    expect([WHAT_IF_RANGES.scale.min, WHAT_IF_RANGES.scale.max]).toEqual([0.6, 1.4]);
  });
});

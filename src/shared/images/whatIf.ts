// What-if transforms of a 28×28 input (issue 18, item 4): shift, rotate, scale, stroke
// thickness and noise, so a learner sees how the answer changes when the same digit moves
// (a dense network is not shift-invariant; a convolutional one is less sensitive). Pure and
// cheap (~784 bilinear samples): the renderer applies them on every slider move.
import { MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../mnist';

export interface WhatIf {
  /** Pixels to the right (negative: left). */
  shiftX: number;
  /** Pixels down (negative: up). */
  shiftY: number;
  /** Degrees, clockwise on screen. */
  rotate: number;
  /** Size factor about the image's centre. */
  scale: number;
  /** Stroke thickness: +1 thickens by one pixel all round (grey dilation), −1 thins by one (erosion); fractions blend. */
  thickness: number;
  /** Amplitude of uniform noise added to every pixel (then clipped to [0, 1]). */
  noise: number;
}

export const NO_WHAT_IF: WhatIf = { shiftX: 0, shiftY: 0, rotate: 0, scale: 1, thickness: 0, noise: 0 };

/** Each slider's range and step, with its label and unit. */
export const WHAT_IF_RANGES: Record<keyof WhatIf, { label: string; min: number; max: number; step: number; unit: string }> = {
  shiftX: { label: 'Shift x', min: -6, max: 6, step: 1, unit: 'px' },
  shiftY: { label: 'Shift y', min: -6, max: 6, step: 1, unit: 'px' },
  rotate: { label: 'Rotate', min: -30, max: 30, step: 1, unit: '°' },
  scale: { label: 'Scale', min: 0.6, max: 1.4, step: 0.05, unit: '×' },
  thickness: { label: 'Thickness', min: -1, max: 2, step: 0.25, unit: 'px' },
  noise: { label: 'Noise', min: 0, max: 0.5, step: 0.05, unit: '' },
};

export function isIdentity(w: WhatIf): boolean {
  return w.shiftX === 0 && w.shiftY === 0 && w.rotate === 0 && w.scale === 1 && w.thickness === 0 && w.noise === 0;
}

/**
 * The input as the transforms make it: thickness first (on the strokes as drawn), then the
 * geometry (rotate and scale about the centre, then shift; bilinear, zero outside), then noise
 * (a fixed pattern from `seed`, so moving another slider does not reshuffle it).
 */
export function applyWhatIf(pixels: Float32Array, w: WhatIf, seed = 1): Float32Array {
  if (pixels.length !== MNIST_PIXELS) throw new RangeError(`applyWhatIf: ${MNIST_PIXELS} pixels expected, got ${pixels.length}`);
  let out = thicken(pixels, w.thickness);
  if (w.shiftX !== 0 || w.shiftY !== 0 || w.rotate !== 0 || w.scale !== 1) out = warp(out, w);
  if (w.noise > 0) out = addNoise(out, w.noise, seed);
  return out === pixels ? Float32Array.from(pixels) : out;
}

/** Integer shifts of a whole digit: each pixel moves by exactly (dx, dy); what leaves the field is lost. */
export function shift(pixels: Float32Array, dx: number, dy: number): Float32Array {
  return applyWhatIf(pixels, { ...NO_WHAT_IF, shiftX: dx, shiftY: dy });
}

const CX = (MNIST_COLS - 1) / 2;
const CY = (MNIST_ROWS - 1) / 2;

function warp(src: Float32Array, w: WhatIf): Float32Array {
  const out = new Float32Array(MNIST_PIXELS);
  const theta = (w.rotate * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  for (let y = 0; y < MNIST_ROWS; y++) {
    for (let x = 0; x < MNIST_COLS; x++) {
      // Inverse map: undo the shift, then the rotation and scale about the centre.
      const px = x - w.shiftX - CX;
      const py = y - w.shiftY - CY;
      const sx = (cos * px + sin * py) / w.scale + CX;
      const sy = (-sin * px + cos * py) / w.scale + CY;
      out[y * MNIST_COLS + x] = bilinear(src, sx, sy);
    }
  }
  return out;
}

function at(src: Float32Array, x: number, y: number): number {
  return x < 0 || y < 0 || x >= MNIST_COLS || y >= MNIST_ROWS ? 0 : src[y * MNIST_COLS + x];
}

function bilinear(src: Float32Array, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  if (fx < 1e-9 && fy < 1e-9) return at(src, x0, y0);
  const top = at(src, x0, y0) * (1 - fx) + at(src, x0 + 1, y0) * fx;
  const bottom = at(src, x0, y0 + 1) * (1 - fx) + at(src, x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * One pass of grey dilation (the largest of the pixel, its 4 edge neighbours and half of its
 * corner neighbours: a round pen) or erosion (the smallest of the pixel and its 4 edge neighbours).
 */
function morph(src: Float32Array, dilate: boolean): Float32Array {
  const out = new Float32Array(MNIST_PIXELS);
  for (let y = 0; y < MNIST_ROWS; y++) {
    for (let x = 0; x < MNIST_COLS; x++) {
      const edges = [at(src, x - 1, y), at(src, x + 1, y), at(src, x, y - 1), at(src, x, y + 1)];
      const centre = src[y * MNIST_COLS + x];
      if (dilate) {
        const corners = [at(src, x - 1, y - 1), at(src, x + 1, y - 1), at(src, x - 1, y + 1), at(src, x + 1, y + 1)].map((v) => v * 0.5);
        out[y * MNIST_COLS + x] = Math.max(centre, ...edges, ...corners);
      } else {
        out[y * MNIST_COLS + x] = Math.min(centre, ...edges);
      }
    }
  }
  return out;
}

/** Thickness `t`: |t| whole passes, and a blend towards one more for the fraction. */
function thicken(src: Float32Array, t: number): Float32Array {
  if (t === 0) return src;
  const dilate = t > 0;
  let current = src;
  const whole = Math.floor(Math.abs(t));
  for (let i = 0; i < whole; i++) current = morph(current, dilate);
  const frac = Math.abs(t) - whole;
  if (frac > 0) {
    const next = morph(current, dilate);
    const blended = new Float32Array(MNIST_PIXELS);
    for (let i = 0; i < MNIST_PIXELS; i++) blended[i] = current[i] * (1 - frac) + next[i] * frac;
    current = blended;
  }
  return current;
}

/** Uniform noise in [−amount, amount] from a small xorshift stream (the same pattern for the same seed). */
function addNoise(src: Float32Array, amount: number, seed: number): Float32Array {
  const out = new Float32Array(MNIST_PIXELS);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < MNIST_PIXELS; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const u = s / 4294967296;
    out[i] = Math.min(1, Math.max(0, src[i] + (2 * u - 1) * amount));
  }
  return out;
}

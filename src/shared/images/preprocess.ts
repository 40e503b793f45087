// Any picture of a digit → the 28×28 input the model was trained on.
//
// MNIST was made by scaling each digit's bounding box to fit 20×20 (aspect ratio
// kept, anti-aliased) and then shifting it so its centre of mass sits at (14, 14)
// of a 28×28 field, with white ink (1) on black (0). A model trained on MNIST only
// recognises digits that look like that, so dropped files and drawings go through
// the same steps. Pure TypeScript: used by the renderer and the CLI alike.

import { MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../mnist';

/** The longer side of the digit's box after scaling. */
export const DIGIT_BOX = 20;
/** Larger images are refused: their ink buffer alone would cost 4 bytes a pixel. */
export const MAX_INPUT_PIXELS = 50_000_000;

/** Pixels row-major; 4 bytes a pixel (RGBA, not premultiplied) or 1 (greyscale). */
export interface PixelImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

export class PreprocessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreprocessError';
  }
}

/** Ink below this (after contrast stretch) is paper grain or JPEG noise, not the digit. */
const INK_THRESHOLD = 0.2;
/** The darkest stroke must stand this far out from the background to count as a digit. */
const MIN_CONTRAST = 0.1;

/** Preprocess an image into 784 floats in [0, 1], row-major 28×28, ink = 1. */
export function preprocessDigit(image: PixelImage): Float32Array {
  return preprocessSteps(image).pixels;
}

/** A greyscale picture in [0, 1], row-major. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/**
 * Every step of the preprocessing as a picture (issue 18: what the network actually receives):
 * the greyscale image (1 = white paper, as it looked), whether it was inverted, the ink (white
 * on black, contrast stretched), the ink cropped to its box, scaled to 20 px, and the final
 * 28×28 input centred by its centre of mass (`pixels`, what preprocessDigit returns).
 */
export interface PreprocessSteps {
  grey: GreyImage;
  inverted: boolean;
  ink: GreyImage;
  cropped: GreyImage;
  scaled: GreyImage;
  pixels: Float32Array;
}

export function preprocessSteps(image: PixelImage): PreprocessSteps {
  const { grey, ink, inverted } = toInk(image);
  const box = inkBox(ink, image.width, image.height);
  const scale = DIGIT_BOX / Math.max(box.width, box.height);
  const scaled = resize(ink, image.width, box, scale);
  normalisePeak(scaled.data);
  const pixels = centreByMass(scaled.data, scaled.width, scaled.height);
  return {
    grey: { width: image.width, height: image.height, data: grey },
    inverted,
    ink: { width: image.width, height: image.height, data: ink },
    cropped: crop(ink, image.width, box),
    scaled,
    pixels,
  };
}

function crop(ink: Float32Array, stride: number, box: Box): GreyImage {
  const data = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) data.set(ink.subarray((box.y + y) * stride + box.x, (box.y + y) * stride + box.x + box.width), y * box.width);
  return { width: box.width, height: box.height, data };
}

function checkImage(image: PixelImage): 1 | 4 {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new PreprocessError(`image size must be positive whole numbers, got ${width}×${height}`);
  }
  if (width * height > MAX_INPUT_PIXELS) {
    throw new PreprocessError(`image is too large: ${width}×${height} is over ${MAX_INPUT_PIXELS / 1e6} megapixels`);
  }
  const pixels = width * height;
  if (data.length === pixels * 4) return 4;
  if (data.length === pixels) return 1;
  throw new PreprocessError(`image data has ${data.length} bytes; ${width}×${height} needs ${pixels * 4} (RGBA) or ${pixels} (greyscale)`);
}

/**
 * Ink per pixel in [0, 1]: luma with alpha over white, inverted when the paper is
 * light (judged from the border), then stretched so paper = 0 and the darkest
 * stroke = 1, which also makes faint pencil and dark-on-grey scans work.
 */
function toInk(image: PixelImage): { grey: Float32Array; ink: Float32Array; inverted: boolean } {
  const channels = checkImage(image);
  const { width, height, data } = image;
  const ink = new Float32Array(width * height);
  for (let p = 0, i = 0; p < ink.length; p++, i += channels) {
    if (channels === 1) {
      ink[p] = data[i] / 255;
      continue;
    }
    // Rec. 601 luma, as greyscale conversions of scanned digits use.
    const luma = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    const alpha = data[i + 3] / 255;
    ink[p] = (alpha * luma + (1 - alpha) * 255) / 255;
  }

  const grey = Float32Array.from(ink);
  const background = borderMean(ink, width, height);
  const invert = background > 0.5;
  let paper = invert ? 1 - background : background;
  let darkest = 0;
  for (let p = 0; p < ink.length; p++) {
    const v = invert ? 1 - ink[p] : ink[p];
    ink[p] = v;
    if (v > darkest) darkest = v;
  }
  if (darkest - paper < MIN_CONTRAST) {
    throw new PreprocessError('no digit found: the image has no strokes that stand out from the background');
  }
  // A digit that touches the border raises the border mean; never let paper exceed half the stroke.
  paper = Math.min(paper, darkest / 2);
  const range = darkest - paper;
  for (let p = 0; p < ink.length; p++) {
    const v = (ink[p] - paper) / range;
    ink[p] = v < INK_THRESHOLD / 2 ? 0 : Math.min(v, 1);
  }
  return { grey, ink, inverted: invert };
}

function borderMean(values: Float32Array, width: number, height: number): number {
  let sum = 0;
  let count = 0;
  for (let x = 0; x < width; x++) {
    sum += values[x] + values[(height - 1) * width + x];
    count += 2;
  }
  for (let y = 1; y < height - 1; y++) {
    sum += values[y * width] + values[y * width + width - 1];
    count += 2;
  }
  return sum / count;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function inkBox(ink: Float32Array, width: number, height: number): Box {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (ink[row + x] < INK_THRESHOLD) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) throw new PreprocessError('no digit found: the image is blank');
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

interface Tap {
  index: number;
  weight: number;
}

/**
 * For each output position along one axis, the source positions and weights.
 * Shrinking averages the exact area each output pixel covers (a box filter, so
 * thin strokes fade instead of vanishing); enlarging interpolates linearly.
 */
function axisTaps(srcLength: number, dstLength: number, scale: number): Tap[][] {
  const taps: Tap[][] = [];
  for (let o = 0; o < dstLength; o++) {
    const row: Tap[] = [];
    if (scale <= 1) {
      const start = o / scale;
      const end = Math.min((o + 1) / scale, srcLength);
      for (let s = Math.floor(start); s < end; s++) {
        const overlap = Math.min(s + 1, end) - Math.max(s, start);
        if (overlap > 0) row.push({ index: s, weight: overlap * scale });
      }
    } else {
      const centre = Math.min(Math.max((o + 0.5) / scale - 0.5, 0), srcLength - 1);
      const left = Math.floor(centre);
      const frac = centre - left;
      row.push({ index: left, weight: 1 - frac });
      if (frac > 0) row.push({ index: left + 1, weight: frac });
    }
    taps.push(row);
  }
  return taps;
}

/** Resample the boxed part of `ink` by `scale` on both axes (separable: columns first, then rows). */
function resize(ink: Float32Array, stride: number, box: Box, scale: number) {
  const width = Math.max(1, Math.round(box.width * scale));
  const height = Math.max(1, Math.round(box.height * scale));
  const xTaps = axisTaps(box.width, width, scale);
  const yTaps = axisTaps(box.height, height, scale);

  // Horizontal pass over the box's rows only: memory is box.height × width.
  const narrow = new Float32Array(box.height * width);
  for (let y = 0; y < box.height; y++) {
    const src = (box.y + y) * stride + box.x;
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (const tap of xTaps[x]) v += ink[src + tap.index] * tap.weight;
      narrow[y * width + x] = v;
    }
  }
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (const tap of yTaps[y]) {
      const src = tap.index * width;
      for (let x = 0; x < width; x++) data[y * width + x] += narrow[src + x] * tap.weight;
    }
  }
  return { data, width, height };
}

/** MNIST strokes reach full intensity; a thin pen on a big canvas must too after shrinking. */
function normalisePeak(values: Float32Array): void {
  let peak = 0;
  for (const v of values) if (v > peak) peak = v;
  if (peak <= 0) throw new PreprocessError('no digit found: the strokes vanish at 28×28');
  for (let i = 0; i < values.length; i++) values[i] = Math.min(values[i] / peak, 1);
}

/** Place the digit in 28×28 with its centre of mass (pixel-index coordinates) at (14, 14); clip at the borders. */
function centreByMass(digit: Float32Array, width: number, height: number): Float32Array {
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = digit[y * width + x];
      mass += v;
      sumX += v * x;
      sumY += v * y;
    }
  }
  const shiftX = Math.round(MNIST_COLS / 2 - sumX / mass);
  const shiftY = Math.round(MNIST_ROWS / 2 - sumY / mass);
  const out = new Float32Array(MNIST_PIXELS);
  for (let y = 0; y < height; y++) {
    const ty = y + shiftY;
    if (ty < 0 || ty >= MNIST_ROWS) continue;
    for (let x = 0; x < width; x++) {
      const tx = x + shiftX;
      if (tx < 0 || tx >= MNIST_COLS) continue;
      out[ty * MNIST_COLS + tx] = digit[y * width + x];
    }
  }
  return out;
}

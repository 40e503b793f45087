// MNIST as the app uses it: greyscale 28×28 images (0..255, ink high) and labels 0..9,
// checked for consistency on load so that everything downstream may trust the shapes.

import { IdxError, parseIdx } from './idx';

export const MNIST_ROWS = 28;
export const MNIST_COLS = 28;
export const MNIST_PIXELS = MNIST_ROWS * MNIST_COLS;
export const MNIST_CLASSES = 10;

export interface MnistSet {
  /** count × 784 pixels, row-major per image. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: 28;
  cols: 28;
}

export function parseMnist(imagesBytes: Uint8Array, labelsBytes: Uint8Array, name = 'MNIST'): MnistSet {
  const images = parseIdx(imagesBytes, `${name} images`);
  const labels = parseIdx(labelsBytes, `${name} labels`);
  if (images.dims.length !== 3 || images.dims[1] !== MNIST_ROWS || images.dims[2] !== MNIST_COLS) {
    throw new IdxError(`${name} images: shape [${images.dims.join(', ')}] is not [count, 28, 28]`);
  }
  if (labels.dims.length !== 1) throw new IdxError(`${name} labels: shape [${labels.dims.join(', ')}] is not [count]`);
  const count = images.dims[0];
  if (labels.dims[0] !== count) {
    throw new IdxError(`${name}: ${count} images but ${labels.dims[0]} labels`);
  }
  const bad = labels.data.findIndex((label) => label >= MNIST_CLASSES);
  if (bad >= 0) throw new IdxError(`${name} labels: label ${labels.data[bad]} at index ${bad} is not a digit 0..9`);
  return { images: images.data, labels: labels.data, count, rows: MNIST_ROWS, cols: MNIST_COLS };
}

/** Examples [start, end) as a set of their own (views, no copy), e.g. a small set for fast tests. */
export function sliceMnist(set: MnistSet, start: number, end: number): MnistSet {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= set.count)) {
    throw new RangeError(`sliceMnist: [${start}, ${end}) is not a range inside 0..${set.count}`);
  }
  return {
    images: set.images.subarray(start * MNIST_PIXELS, end * MNIST_PIXELS),
    labels: set.labels.subarray(start, end),
    count: end - start,
    rows: MNIST_ROWS,
    cols: MNIST_COLS,
  };
}

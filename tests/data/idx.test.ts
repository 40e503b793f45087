import { describe, expect, it } from 'vitest';
import { IdxError, parseIdx } from '../../src/engine/data/idx';
import { parseMnist, sliceMnist } from '../../src/engine/data/mnist';

/** An idx file of unsigned bytes with the given dims; `data` defaults to 0, 1, 2, ... */
function idx(dims: number[], data?: Uint8Array, type = 0x08): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + count);
  out.set([0, 0, type, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data ?? Uint8Array.from({ length: count }, (_, i) => i % 256), 4 + 4 * dims.length);
  return out;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(IdxError);
    return error as Error;
  }
  throw new Error('expected an IdxError');
}

describe('parseIdx', () => {
  it('reads dims (big-endian) and data', () => {
    const parsed = parseIdx(idx([2, 3]));
    expect(parsed.dims).toEqual([2, 3]);
    expect([...parsed.data]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects a wrong magic number', () => {
    const bytes = idx([2]);
    bytes[0] = 0x1f;
    expect(errorOf(() => parseIdx(bytes, 'x.idx')).message).toMatch(/x\.idx: wrong magic number 0x1f000801/);
    expect(errorOf(() => parseIdx(idx([2], undefined, 0x42))).message).toMatch(/wrong magic number/);
  });

  it('rejects element types other than unsigned byte', () => {
    expect(errorOf(() => parseIdx(idx([1], new Uint8Array(1), 0x0d))).message).toMatch(/element type 0xd \(float\) is not supported/);
  });

  it('rejects truncated files', () => {
    const bytes = idx([4, 5]);
    expect(errorOf(() => parseIdx(bytes.subarray(0, bytes.length - 1))).message).toMatch(/truncated: dims \[4, 5\] need 32 bytes in all but the file has 31/);
    expect(errorOf(() => parseIdx(bytes.subarray(0, 6))).message).toMatch(/truncated: 6 bytes cannot hold the 2 dimension sizes/);
    expect(errorOf(() => parseIdx(bytes.subarray(0, 2))).message).toMatch(/too short/);
  });

  it('rejects trailing bytes', () => {
    const bytes = idx([3]);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(errorOf(() => parseIdx(longer)).message).toMatch(/trailing bytes/);
  });
});

describe('parseMnist', () => {
  const images = (n: number, rows = 28, cols = 28) => idx([n, rows, cols]);
  const labels = (values: number[]) => idx([values.length], Uint8Array.from(values));

  it('builds a set from consistent files', () => {
    const set = parseMnist(images(3), labels([5, 0, 9]));
    expect(set.count).toBe(3);
    expect(set.images.length).toBe(3 * 784);
    expect([...set.labels]).toEqual([5, 0, 9]);
    expect(sliceMnist(set, 1, 3).labels[0]).toBe(0);
    expect(sliceMnist(set, 1, 3).images[0]).toBe(set.images[784]);
  });

  it('rejects mismatched counts', () => {
    expect(errorOf(() => parseMnist(images(3), labels([1, 2]))).message).toMatch(/3 images but 2 labels/);
  });

  it('rejects images that are not 28×28', () => {
    expect(errorOf(() => parseMnist(images(2, 28, 27), labels([1, 2]))).message).toMatch(/shape \[2, 28, 27\] is not \[count, 28, 28\]/);
    expect(errorOf(() => parseMnist(idx([2, 784]), labels([1, 2]))).message).toMatch(/is not \[count, 28, 28\]/);
  });

  it('rejects labels that are not digits', () => {
    expect(errorOf(() => parseMnist(images(2), labels([1, 10]))).message).toMatch(/label 10 at index 1 is not a digit/);
  });

  it('swapped files give a clear error', () => {
    expect(errorOf(() => parseMnist(labels([1, 2]), images(2))).message).toMatch(/images: shape \[2\]/);
  });
});

import { describe, expect, test } from 'vitest';
import { samePixels } from '../../src/renderer/lib/samePixels';

describe('samePixels', () => {
  test('equal values in different containers are the same image', () => {
    const bytes = Uint8Array.from({ length: 784 }, (_, i) => i % 256);
    expect(samePixels(bytes, Float32Array.from(bytes))).toBe(true);
    expect(samePixels(bytes, Array.from(bytes))).toBe(true);
  });

  test('one changed pixel, or a different length, is a different image', () => {
    const bytes = Uint8Array.from({ length: 784 }, (_, i) => i % 256);
    const changed = bytes.slice();
    changed[783] ^= 1;
    expect(samePixels(bytes, changed)).toBe(false);
    expect(samePixels(bytes, bytes.subarray(0, 783))).toBe(false);
  });
});

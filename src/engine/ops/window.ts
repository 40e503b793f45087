// The sliding-window arithmetic convolution and pooling share: PyTorch's int-or-pair
// arguments and the floor-mode output size floor((in + 2·pad − kernel) / stride) + 1.

/** One number for both spatial axes, or [height, width], as PyTorch's `_pair` accepts. */
export type Size2 = number | readonly [number, number];

export function pair(value: Size2, name: string, op: string, min: number): [number, number] {
  const [h, w] = typeof value === 'number' ? [value, value] : value;
  for (const v of [h, w]) {
    if (!Number.isInteger(v) || v < min) {
      throw new Error(`${op}: ${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or a pair of them, got ${JSON.stringify(value)}`);
    }
  }
  return [h, w];
}

/** Output length along one axis (floor mode); throws when the window does not fit. */
export function outputSize(size: number, kernel: number, stride: number, pad: number, axis: string, op: string): number {
  const span = size + 2 * pad - kernel;
  if (span < 0) {
    throw new Error(`${op}: kernel ${kernel} is larger than the padded input ${axis} ${size} + 2·${pad}`);
  }
  return Math.floor(span / stride) + 1;
}

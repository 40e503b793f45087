// Shape rules shared by the image layers (convolution, pooling, batch norm): NCHW without
// the batch, and the output size of a sliding window as PyTorch computes it (floor mode).
import { LayerShapeError } from '../layerKind';
import { formatShape, type Shape } from '../shape';

/** The input as [channels, height, width]; a flat vector is refused with the fix. */
export function imageShape(input: Shape, what: string): [number, number, number] {
  if (input.length !== 3) {
    throw new LayerShapeError(
      `${what} needs an image [channels, height, width], but its input has shape ${formatShape(input)}: give the model the input [1, 28, 28] and put this layer before any flatten`,
    );
  }
  return [input[0], input[1], input[2]];
}

/** floor((size + 2·padding − kernel) / stride) + 1, refused when the window does not fit. */
export function windowOutput(size: number, kernel: number, stride: number, padding: number, what: string): number {
  if (kernel > size + 2 * padding) {
    throw new LayerShapeError(`its ${kernel}×${kernel} ${what} is larger than its ${size}×${size} input${padding > 0 ? ` with padding ${padding}` : ''}`);
  }
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

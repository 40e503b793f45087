// Image-shaped values as pictures: the input digit in grey, feature maps ([1, C, H, W]) as up to
// `maxChannels` tiles side by side on the diverging map (blue negative, red positive), each
// scaled to its own largest magnitude.
import { useEffect, useRef } from 'react';
import { putImage, scratchImage } from '../../lib/canvas';
import { divergingColor, maxAbs } from '../../lib/colormap';
import { MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../../../shared/mnist';

/** The [channels, height, width] of values that are pictures, or null. */
export function imageShape(shape: readonly number[]): [number, number, number] | null {
  const dims = shape[0] === 1 ? shape.slice(1) : shape;
  if (dims.length === 1 && dims[0] === MNIST_PIXELS) return [1, MNIST_ROWS, MNIST_COLS];
  if (dims.length === 3 && dims[1] >= 4 && dims[2] >= 4) return [dims[0], dims[1], dims[2]];
  return null;
}

export function ValueImage({ values, shape, grey = false, maxChannels = 8, className }: { values: Float32Array; shape: readonly number[]; grey?: boolean; maxChannels?: number; className?: string }) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  const dims = imageShape(shape);
  useEffect(() => {
    if (!ref.current || !dims) return;
    const [c, h, w] = dims;
    const shown = Math.min(c, maxChannels);
    const width = shown * (w + 1) - 1;
    const image = scratchImage(width, h);
    const data = image.data;
    data.fill(0);
    for (let ch = 0; ch < shown; ch++) {
      const scale = grey ? 1 : maxAbs(values, ch * h * w, h * w) || 1;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const v = values[ch * h * w + y * w + x];
          const [r, g, b] = grey ? [255 - v * 255, 255 - v * 255, 255 - v * 255] : divergingColor(v / scale);
          const o = (y * width + ch * (w + 1) + x) * 4;
          data[o] = r;
          data[o + 1] = g;
          data[o + 2] = b;
          data[o + 3] = 255;
        }
      }
    }
    putImage(ref.current, image);
  });
  if (!dims) return null;
  return <canvas ref={ref} className={className ?? 'how-image'} data-testid="how-image" />;
}

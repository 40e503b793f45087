// A 28×28 digit, ink on paper, drawn when its pixels change. Every evaluation sends the
// same gallery of test images again; repainting all of them (a canvas upload each) for
// identical pixels cost the sample grid a long task per evaluation.
import { useEffect, useRef } from 'react';
import { putImage, scratchImage } from '../lib/canvas';
import { paintDigit } from '../lib/colormap';
import { samePixels } from '../lib/samePixels';
import { MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../../shared/mnist';

/** `pixels`: 28×28 values, 0..255 (scale 255) or 0..1 (scale 1). */
export function DigitCanvas({ pixels, scale = 255, className }: { pixels: ArrayLike<number>; scale?: number; className?: string }) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  const painted = useRef<{ pixels: Float32Array; scale: number } | null>(null);
  useEffect(() => {
    if (!ref.current || pixels.length !== MNIST_PIXELS) return;
    const last = painted.current;
    if (last && last.scale === scale && samePixels(last.pixels, pixels)) return;
    const bytes = scale === 255 ? pixels : Array.from(pixels, (v) => v * 255);
    const image = scratchImage(MNIST_COLS, MNIST_ROWS);
    paintDigit(bytes, image.data);
    putImage(ref.current, image);
    painted.current = { pixels: Float32Array.from(pixels), scale };
  }, [pixels, scale]);
  return <canvas ref={ref} width={MNIST_COLS} height={MNIST_ROWS} className={className ?? 'digit'} />;
}

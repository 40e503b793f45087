// A 28×28 digit, ink on paper, drawn once per change of its pixels.
import { useEffect, useRef } from 'react';
import { putImage, scratchImage } from '../lib/canvas';
import { paintDigit } from '../lib/colormap';

/** `pixels`: 784 values, 0..255 (scale 255) or 0..1 (scale 1). */
export function DigitCanvas({ pixels, scale = 255, className }: { pixels: ArrayLike<number>; scale?: number; className?: string }) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    if (!ref.current || pixels.length !== 784) return;
    const bytes = scale === 255 ? pixels : Array.from(pixels, (v) => v * 255);
    const image = scratchImage(28, 28);
    paintDigit(bytes, image.data);
    putImage(ref.current, image);
  }, [pixels, scale]);
  return <canvas ref={ref} width={28} height={28} className={className ?? 'digit'} />;
}

// A canvas painted by `paint` into an RGBA buffer of its size whenever `deps` change.
import { useEffect, useEffectEvent, useRef } from 'react';

export function PaintedCanvas({
  width,
  height,
  paint,
  deps,
  className,
  title,
  testId,
}: {
  width: number;
  height: number;
  paint: (rgba: Uint8ClampedArray) => void;
  deps: unknown[];
  className?: string;
  title?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  // The painter is a fresh closure each render; only the size and `deps` repaint.
  const draw = useEffectEvent(() => {
    const canvas = ref.current;
    if (!canvas || width <= 0 || height <= 0) return;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const image = new ImageData(width, height);
    paint(image.data);
    canvas.getContext('2d')?.putImageData(image, 0, 0);
  });
  // `deps` is the caller's list, passed on as an effect's own (the rule cannot see into a spread).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => draw(), [width, height, ...deps]);
  return <canvas ref={ref} width={width} height={height} className={className} title={title} data-testid={testId} />;
}

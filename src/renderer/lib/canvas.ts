// Puts RGBA bytes on a canvas pixel for pixel; CSS scales it up (image-rendering: pixelated).

export function drawRgba(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, width: number, height: number): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = new ImageData(width, height);
  image.data.set(rgba.subarray(0, width * height * 4));
  ctx.putImageData(image, 0, 0);
}

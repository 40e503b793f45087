// Puts RGBA pixels on a canvas one to one; CSS scales it up (image-rendering: pixelated).
// One ImageData per size is reused: tiles redraw a few times a second and each new
// ImageData would be garbage a moment later.

const images = new Map<string, ImageData>();

/** A reusable ImageData of this size: paint into `.data`, then `putImage`. */
export function scratchImage(width: number, height: number): ImageData {
  const key = `${width}x${height}`;
  let image = images.get(key);
  if (!image) {
    image = new ImageData(width, height);
    images.set(key, image);
  }
  return image;
}

export function putImage(canvas: HTMLCanvasElement, image: ImageData): void {
  if (canvas.width !== image.width) canvas.width = image.width;
  if (canvas.height !== image.height) canvas.height = image.height;
  canvas.getContext('2d')?.putImageData(image, 0, 0);
}

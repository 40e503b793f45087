// A picture that already is an MNIST digit (28×28, as "My digits" exports them: white ink on
// black) is taken pixel for pixel, so an exported set imports back exactly; dark ink on a light
// background is turned round. Any other picture goes through preprocessDigit instead.
import { MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../mnist';
import type { PixelImage } from './preprocess';

/** The image's 784 bytes (ink high) when it is 28×28, else null. */
export function mnistBytes(image: PixelImage): Uint8Array | null {
  if (image.width !== MNIST_COLS || image.height !== MNIST_ROWS) return null;
  const channels = image.data.length === MNIST_PIXELS ? 1 : 4;
  const grey = new Uint8Array(MNIST_PIXELS);
  for (let p = 0; p < MNIST_PIXELS; p++) {
    const i = p * channels;
    if (channels === 1) {
      grey[p] = image.data[i];
      continue;
    }
    // Rec. 601 luma with alpha over black (MNIST's background), kept exact for grey pixels.
    const [r, g, b, a] = [image.data[i], image.data[i + 1], image.data[i + 2], image.data[i + 3]];
    const luma = r === g && g === b ? r : Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    grey[p] = Math.round((luma * a) / 255);
  }
  let border = 0;
  for (let x = 0; x < MNIST_COLS; x++) border += grey[x] + grey[(MNIST_ROWS - 1) * MNIST_COLS + x];
  for (let y = 1; y < MNIST_ROWS - 1; y++) border += grey[y * MNIST_COLS] + grey[y * MNIST_COLS + MNIST_COLS - 1];
  const light = border / (2 * MNIST_COLS + 2 * (MNIST_ROWS - 2)) > 127;
  if (light) for (let p = 0; p < MNIST_PIXELS; p++) grey[p] = 255 - grey[p];
  return grey;
}

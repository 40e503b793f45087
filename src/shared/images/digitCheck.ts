// Whether a prepared 28×28 input looks like the handwritten digits the network learned from.
//
// A network trained on MNIST answers for any input, and with a confident-looking guess: a
// blue rectangle and a photographed "4" both got an answer. Preprocessing crops whatever it
// finds to a 20-pixel box, so a speck or a filled shape arrives as a large blob; a photo's
// shading arrives as grey haze. These checks say so beside the answer. Their thresholds lie
// beyond what the 10 000 MNIST test digits show (measured: box fill at most 0.78 for digits
// whose box is at least 8 px a side; ink mass 22–257; grey share of the ink at most 0.62), so
// a real handwritten digit is practically never flagged (tests/preprocess/digitCheck.test.ts).

import { MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../mnist';

export type DigitConcern = 'filled' | 'heavy' | 'faint' | 'grey';

export interface DigitCheck {
  concern: DigitConcern;
  /** One or two sentences for the user, shown beside the answer. */
  message: string;
}

/** Pixels at least this bright are ink; dimmer ones above LIT are the grey edge of a stroke. */
const INK = 0.5;
const LIT = 0.05;
/** A box at least this many pixels a side, filled beyond MAX_FILL, is a shape, not pen strokes. */
const MIN_FILLED_SIDE = 8;
const MAX_FILL = 0.85;
/** Total ink (sum of pixel values) outside this range is unlike any MNIST digit. */
const MIN_MASS = 15;
const MAX_MASS = 280;
/** A larger share of grey among the lit pixels is haze (a photo, a shadow), not strokes. */
const MAX_GREY_SHARE = 0.68;

const GUESS = 'the answer is only a guess.';

export const DIGIT_CONCERNS: Record<DigitConcern, string> = {
  filled: `This is a filled shape, not pen strokes: nothing like the handwritten digits the network learned from, so ${GUESS}`,
  heavy: `There is more ink than in any handwritten digit the network has seen (a thick blob once scaled to 20 px), so ${GUESS}`,
  faint: `There is hardly any ink once the image is scaled to 20 px: the network sees almost nothing, so ${GUESS}`,
  grey: `Most of what was found is grey haze rather than dark strokes (a photo, shading or a faint scan?), so ${GUESS} A dark digit on plain paper works best.`,
};

/** Null when `pixels` (28×28, ink = 1) looks like a handwritten digit; else what is off about it. */
export function checkDigit(pixels: Float32Array): DigitCheck | null {
  if (pixels.length !== MNIST_PIXELS) throw new RangeError(`checkDigit takes ${MNIST_PIXELS} pixels, got ${pixels.length}`);
  let mass = 0;
  let ink = 0;
  let lit = 0;
  let grey = 0;
  let x0 = MNIST_COLS;
  let x1 = -1;
  let y0 = MNIST_ROWS;
  let y1 = -1;
  for (let y = 0; y < MNIST_ROWS; y++) {
    for (let x = 0; x < MNIST_COLS; x++) {
      const v = pixels[y * MNIST_COLS + x];
      mass += v;
      if (v > INK) ink++;
      if (v <= LIT) continue;
      lit++;
      if (v <= INK) grey++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  const concern = ((): DigitConcern | null => {
    if (mass < MIN_MASS) return 'faint';
    const width = x1 - x0 + 1;
    const height = y1 - y0 + 1;
    if (Math.min(width, height) >= MIN_FILLED_SIDE && ink / (width * height) > MAX_FILL) return 'filled';
    if (mass > MAX_MASS) return 'heavy';
    if (lit > 0 && grey / lit > MAX_GREY_SHARE) return 'grey';
    return null;
  })();
  return concern ? { concern, message: DIGIT_CONCERNS[concern] } : null;
}

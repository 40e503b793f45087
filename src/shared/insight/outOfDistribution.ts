// Does this input look like a digit the network has seen? (issue 25, point 9)
//
// A network trained on MNIST answers every input with ten probabilities that add up to 1, so a drawn line, a
// star or a letter gets an answer too, often a confident one. Two measured signals say when not to trust it:
// - the input is far from every training digit: the pixel distance to the nearest of 10 000 training images
//   (main/training/nearestDigit.ts). Model-independent: a star is far from all digits.
// - the network itself is unsure: its largest probability is low. This catches what pixel distance misses
//   (a straight line is near some 1s, but the network cannot tell which digit it is).
// The thresholds were measured with `npm run bench -- --ood` (bench/oodBench.ts): on programmatically drawn
// non-digits (lines, stars, scribbles, dots, crossed circles, squares), letters in three fonts and photos or
// screenshots, against the MNIST test digits, for the mlp and cnn presets after two epochs: they flag 3.6–4.5 %
// of the test digits and about two thirds of the non-digits (stars, crossed circles, scribbles, blobs and
// photos mostly; letters about half, lines and squares — close to a 1 and a 0 — least). README: "Is it a digit?".
import type { Classification } from '../contract';
import { checkDigit, type DigitConcern } from '../images/digitCheck';

/** Nearest-training-digit distance above which an input is unlike anything the network learned from. */
export const UNFAMILIAR_DISTANCE = 7.1;
/** A largest probability below this: the network itself cannot tell which digit it is. */
export const UNSURE_PROBABILITY = 0.55;

export type OutOfDistributionReason = 'unfamiliar' | 'unsure';

export const OUT_OF_DISTRIBUTION_MESSAGE: Record<OutOfDistributionReason, string> = {
  unfamiliar: 'This does not look like a digit it has seen: it is far from every training digit, so the answer is only a guess.',
  unsure: `The network cannot tell which digit this is (no answer gets ${Math.round(UNSURE_PROBABILITY * 100)} % or more), so the answer is only a guess.`,
};

/** Why the answer for this input is only a guess, or null when it looks like the digits the network learned from. */
export function outOfDistribution(classification: Pick<Classification, 'probabilities' | 'nearestTrainingDistance'>): OutOfDistributionReason | null {
  const distance = classification.nearestTrainingDistance;
  if (distance !== undefined && distance > UNFAMILIAR_DISTANCE) return 'unfamiliar';
  if (Math.max(...classification.probabilities) < UNSURE_PROBABILITY) return 'unsure';
  return null;
}

export interface InputDoubt {
  concern: DigitConcern | OutOfDistributionReason;
  message: string;
}

/**
 * What to say beside an answer: the input checks first (a filled shape, a blob, haze: they say what is off),
 * then the out-of-distribution check; null when the input looks like the digits the network learned from.
 */
export function inputDoubt(pixels: Float32Array, classification: Pick<Classification, 'probabilities' | 'nearestTrainingDistance'> | null): InputDoubt | null {
  const check = checkDigit(pixels);
  if (check) return check;
  const reason = classification && classification.probabilities.length > 0 ? outOfDistribution(classification) : null;
  return reason ? { concern: reason, message: OUT_OF_DISTRIBUTION_MESSAGE[reason] } : null;
}

// Does this input look like a digit the network has seen? (issue 25, point 9)
//
// A network trained on MNIST answers every input with ten probabilities that add up to 1, so a drawn line, a
// star or a letter gets an answer too, often a confident one. Measured signals say when not to trust it:
// - the input is far from every one of the 60 000 training digits (main/training/nearestDigit.ts), in Euclidean
//   distance (a star, a scribble, a filled square) or in angle, the cosine distance (a thin line or a letter:
//   little ink, so near some digits in Euclidean distance, but shaped like none). Model-independent.
// - the network itself is unsure: its largest probability is low.
// The thresholds were chosen on every 10th MNIST test digit and the bench's 468 drawings and letters (each about its 97th
// percentile on the digits, the whole flagging about 4 % of them), then measured with `npm run bench -- --ood`
// (bench/oodBench.ts) on all 10 000 test digits: programmatically drawn non-digits (lines, stars, scribbles,
// dots, crossed circles, squares), letters in three fonts, and photos or screenshots when given, for the mlp
// and cnn presets after two epochs. The figures are in the README ("Is it a digit?").
import type { Classification } from '../contract';
import { checkDigit, type DigitConcern } from '../images/digitCheck';

/** Nearest-training-digit distance above which an input is unlike anything the network learned from. */
export const UNFAMILIAR_DISTANCE = 6.5;
/** Cosine distance to the most similar training digit above which its shape is like none of them. */
export const UNFAMILIAR_COSINE_DISTANCE = 0.22;
/** A largest probability below this: the network itself cannot tell which digit it is. */
export const UNSURE_PROBABILITY = 0.45;

export type OutOfDistributionReason = 'unfamiliar' | 'unsure';

/** What the check reads of an answer. */
type Nearness = Pick<Classification, 'probabilities' | 'nearestTrainingDistance' | 'nearestTrainingCosineDistance'>;

export const OUT_OF_DISTRIBUTION_MESSAGE: Record<OutOfDistributionReason, string> = {
  unfamiliar: 'This does not look like a digit it has seen: it is far from every training digit, so the answer is only a guess.',
  unsure: `The network cannot tell which digit this is (no answer gets ${Math.round(UNSURE_PROBABILITY * 100)} % or more), so the answer is only a guess.`,
};

/** Why the answer for this input is only a guess, or null when it looks like the digits the network learned from. */
export function outOfDistribution(classification: Nearness): OutOfDistributionReason | null {
  const distance = classification.nearestTrainingDistance;
  if (distance !== undefined && distance > UNFAMILIAR_DISTANCE) return 'unfamiliar';
  const cosine = classification.nearestTrainingCosineDistance;
  if (cosine !== undefined && cosine > UNFAMILIAR_COSINE_DISTANCE) return 'unfamiliar';
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
export function inputDoubt(pixels: Float32Array, classification: Nearness | null): InputDoubt | null {
  const check = checkDigit(pixels);
  if (check) return check;
  const reason = classification && classification.probabilities.length > 0 ? outOfDistribution(classification) : null;
  return reason ? { concern: reason, message: OUT_OF_DISTRIBUTION_MESSAGE[reason] } : null;
}

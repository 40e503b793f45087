// Looking inside the network (issue 18, items 1, 2 and 7): the test set page by page as the
// last evaluation saw it (the confusion matrix's cells opened, the most confidently wrong, any
// filter of true class / guess / right or wrong), and one hidden unit or conv filter up close
// (its weights, the test images that drive it most and least, its votes, its activations over
// the test set). Everything is computed in the training worker over the whole test set, cached
// per weights, and crosses the contract a bounded page at a time.
import { ContractError } from './contractError';
import { MNIST_CLASSES } from './mnist';
import type { ModelInfo } from './model/describe';
import { isLayerName } from './model/layerName';
import { describeValue, isRecord } from './model/settings';
import { ownValue } from './ownKeys';

/** Which test images: any of the three filters may be null (no filter). */
export interface TestFilter {
  /** The true digit. */
  label: number | null;
  /** The model's guess. */
  predicted: number | null;
  /** Right (true), wrong (false). */
  correct: boolean | null;
}

/** `index`: the test set's order; `confidence`: the most confident guesses first. */
export type TestOrder = 'index' | 'confidence';

export interface TestPageQuery {
  filter: TestFilter;
  order: TestOrder;
  /** The first matching image to return (0-based), and how many at most. */
  offset: number;
  limit: number;
}

/** A test image with the model's answer: every probability, and the pixels to draw it. */
export interface TestImage {
  /** Index into the MNIST test set. */
  index: number;
  label: number;
  predicted: number;
  /** The ten probabilities (softmax), summing to 1. */
  probabilities: number[];
  /** 28×28 greyscale, 0..255, row-major, as in the idx file. */
  pixels: Uint8Array;
}

export interface TestPage {
  /** The evaluation whose answers these are (the one the confusion matrix shows). */
  step: number;
  /** How many test images match the filter (all pages). */
  total: number;
  offset: number;
  images: TestImage[];
}

/** A hidden unit of a dense layer, or a filter (output channel) of a convolution. */
export interface UnitQuery {
  layer: string;
  unit: number;
}

/** One test image as it drives a unit. */
export interface UnitImage {
  index: number;
  label: number;
  predicted: number;
  /** The unit's activation for it (see UnitInspection.measure). */
  activation: number;
  pixels: Uint8Array;
}

export interface UnitVotes {
  /** How each digit's score moves per unit of this unit's activation: ten numbers. */
  values: number[];
  /** The output layer they come from. */
  layer: string;
  /** How they were worked out, in a sentence. */
  how: string;
}

export interface UnitHistogram {
  /** The range of the activations over the test set; bins split it evenly. */
  min: number;
  max: number;
  counts: number[];
  /** Test images for which the activation is exactly 0 (a ReLU that does not fire). */
  zeros: number;
  /** The activation is the same for every test image: the unit tells the network nothing. */
  dead: boolean;
}

export interface UnitInspection {
  /** The weights this was computed with. */
  step: number;
  layer: string;
  unit: number;
  /** How many units (or filters) the layer has. */
  units: number;
  kind: 'dense' | 'conv';
  /** What "activation" means here, in words (e.g. the largest value of the filter's feature map after relu). */
  measure: string;
  /** The unit's incoming weights: [784] or [in] for a dense unit, [in, k, k] for a filter. */
  weights: { shape: number[]; data: Float32Array };
  /** Whether the weights read the image's pixels (draw them as a 28×28 tile). */
  readsPixels: boolean;
  /** The test images with the largest activations, largest first, and with the smallest, smallest first. */
  top: UnitImage[];
  bottom: UnitImage[];
  votes: UnitVotes | null;
  /** Why there are no votes, when there are none. */
  noVotes: string | null;
  histogram: UnitHistogram;
}

/** The inspection requests of the contract (DigitrainApi extends this). */
export interface InspectApi {
  /** A page of the test set as the last evaluation answered it. */
  testPage(query: TestPageQuery): Promise<TestPage>;
  /** One unit or filter of the live model over the whole test set. */
  inspectUnit(query: UnitQuery): Promise<UnitInspection>;
}

export const MAX_PAGE_SIZE = 100;
/** Top and bottom images of a unit. */
export const UNIT_IMAGES = 9;
export const HISTOGRAM_BINS = 24;
/** The test set has 10 000 images; an offset past any test set is refused. */
const MAX_OFFSET = 1_000_000;

function digitOrNull(value: unknown, what: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= MNIST_CLASSES) {
    throw new ContractError(`${what} must be a digit from 0 to ${MNIST_CLASSES - 1} or null (got ${describeValue(value)})`);
  }
  return value as number;
}

function wholeNumber(value: unknown, what: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ContractError(`${what} must be a whole number from ${min} to ${max} (got ${describeValue(value)})`);
  }
  return value as number;
}

export function validateTestPageQuery(value: unknown): TestPageQuery {
  if (!isRecord(value)) throw new ContractError(`a page query must be { filter, order, offset, limit } (got ${describeValue(value)})`);
  const filter = ownValue(value, 'filter') ?? {};
  if (!isRecord(filter)) throw new ContractError(`filter must be { label, predicted, correct } (got ${describeValue(filter)})`);
  const correct = ownValue(filter, 'correct') ?? null;
  if (correct !== null && typeof correct !== 'boolean') throw new ContractError(`filter.correct must be true, false or null (got ${describeValue(correct)})`);
  const order = ownValue(value, 'order') ?? 'index';
  if (order !== 'index' && order !== 'confidence') throw new ContractError(`order must be 'index' or 'confidence' (got ${describeValue(order)})`);
  return {
    filter: { label: digitOrNull(ownValue(filter, 'label'), 'filter.label'), predicted: digitOrNull(ownValue(filter, 'predicted'), 'filter.predicted'), correct },
    order,
    offset: wholeNumber(ownValue(value, 'offset') ?? 0, 'offset', 0, MAX_OFFSET),
    limit: wholeNumber(ownValue(value, 'limit'), 'limit', 1, MAX_PAGE_SIZE),
  };
}

export function validateUnitQuery(value: unknown): UnitQuery {
  if (!isRecord(value)) throw new ContractError(`a unit query must be { layer, unit } (got ${describeValue(value)})`);
  const layer = ownValue(value, 'layer');
  if (!isLayerName(layer)) throw new ContractError(`layer must be a layer's name (got ${describeValue(layer)})`);
  return { layer, unit: wholeNumber(ownValue(value, 'unit'), 'unit', 0, 1_000_000) };
}

/** Whether a test image with this label and guess passes the filter. */
export function matchesFilter(filter: TestFilter, label: number, predicted: number): boolean {
  if (filter.label !== null && label !== filter.label) return false;
  if (filter.predicted !== null && predicted !== filter.predicted) return false;
  if (filter.correct !== null && (label === predicted) !== filter.correct) return false;
  return true;
}

/** Layers that only rescale or gate each unit on its own: a unit's activation is read after them. */
const PER_UNIT_ROLES = new Set(['activation', 'norm', 'dropout']);

/** A layer whose units (dense) or filters (conv) can be inspected. */
export interface UnitLayer {
  /** Its index in the spec. */
  index: number;
  name: string;
  kind: 'dense' | 'conv';
  units: number;
  /** The layer whose output is read as the units' activations: this one, or the last activation (norm, dropout) right after it. */
  readAt: number;
}

/** Every dense layer but the output layer, and every convolution: the layers whose units can be inspected. */
export function unitLayers(info: ModelInfo): UnitLayer[] {
  const last = info.layers.length - 1;
  return info.layers.flatMap((l, index): UnitLayer[] => {
    if (l.role !== 'dense' && l.role !== 'conv') return [];
    let readAt = index;
    while (readAt < last && PER_UNIT_ROLES.has(info.layers[readAt + 1].role)) readAt++;
    return readAt === last ? [] : [{ index, name: l.layer.name, kind: l.role, units: l.output[0], readAt }];
  });
}

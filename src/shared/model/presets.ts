// Ready-made models, by name: what `npm run train -- --arch NAME` and the app's preset menu
// offer. Each is an ordinary ModelSpec (checked by the registry like any other).
import { MNIST_CLASSES, MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../mnist';
import { DEFAULT_MODEL, sameModel, type ModelSpec } from './spec';

export interface Preset {
  /** One line for a learner: what the model is and what it shows. */
  description: string;
  spec: ModelSpec;
}

const IMAGE = [1, MNIST_ROWS, MNIST_COLS];

export const PRESETS = {
  mlp: {
    description: 'The seed experiment: one hidden layer of 128 ReLU units. Fast, about 97–98 % after a few epochs.',
    spec: structuredClone(DEFAULT_MODEL) as ModelSpec,
  },
  'deep-mlp': {
    description: 'Two hidden layers (256 and 128 ReLU units): more capacity, a little more accuracy, slower steps.',
    spec: {
      input: [MNIST_PIXELS],
      layers: [
        { name: 'fc1', type: 'linear', out: 256, bias: true },
        { name: 'act1', type: 'relu' },
        { name: 'fc2', type: 'linear', out: 128, bias: true },
        { name: 'act2', type: 'relu' },
        { name: 'fc3', type: 'linear', out: MNIST_CLASSES, bias: true },
      ],
    },
  },
  cnn: {
    description: "ConvNetJS's MNIST net: two convolutions with pooling find strokes anywhere in the image; about 99 %.",
    spec: {
      input: IMAGE,
      layers: [
        { name: 'conv1', type: 'conv2d', out: 8, kernel: 5, stride: 1, padding: 2, bias: true },
        { name: 'relu1', type: 'relu' },
        { name: 'pool1', type: 'maxpool2d', kernel: 2, stride: 2, padding: 0 },
        { name: 'conv2', type: 'conv2d', out: 16, kernel: 5, stride: 1, padding: 2, bias: true },
        { name: 'relu2', type: 'relu' },
        { name: 'pool2', type: 'maxpool2d', kernel: 3, stride: 3, padding: 0 },
        { name: 'flatten', type: 'flatten' },
        { name: 'fc', type: 'linear', out: MNIST_CLASSES, bias: true },
      ],
    },
  },
  lenet: {
    description: 'LeNet-5 (LeCun, 1998) for 28×28 digits: two convolutions, then three dense layers; the classic CNN.',
    spec: {
      input: IMAGE,
      layers: [
        { name: 'conv1', type: 'conv2d', out: 6, kernel: 5, stride: 1, padding: 2, bias: true },
        { name: 'relu1', type: 'relu' },
        { name: 'pool1', type: 'maxpool2d', kernel: 2, stride: 2, padding: 0 },
        { name: 'conv2', type: 'conv2d', out: 16, kernel: 5, stride: 1, padding: 0, bias: true },
        { name: 'relu2', type: 'relu' },
        { name: 'pool2', type: 'maxpool2d', kernel: 2, stride: 2, padding: 0 },
        { name: 'flatten', type: 'flatten' },
        { name: 'fc1', type: 'linear', out: 120, bias: true },
        { name: 'relu3', type: 'relu' },
        { name: 'fc2', type: 'linear', out: 84, bias: true },
        { name: 'relu4', type: 'relu' },
        { name: 'fc3', type: 'linear', out: MNIST_CLASSES, bias: true },
      ],
    },
  },
  'pytorch-example': {
    description: "The network of PyTorch's own MNIST example (examples/mnist): two 3×3 convolutions, pooling, dropout and two dense layers; 1.2 M parameters, about 99 %, slow steps.",
    spec: {
      input: IMAGE,
      // PyTorch's attribute names where it has them (conv1, conv2, dropout1, dropout2, fc1, fc2);
      // its functional ReLUs, max pool and flatten get names here.
      layers: [
        { name: 'conv1', type: 'conv2d', out: 32, kernel: 3, stride: 1, padding: 0, bias: true },
        { name: 'relu1', type: 'relu' },
        { name: 'conv2', type: 'conv2d', out: 64, kernel: 3, stride: 1, padding: 0, bias: true },
        { name: 'relu2', type: 'relu' },
        { name: 'pool', type: 'maxpool2d', kernel: 2, stride: 2, padding: 0 },
        { name: 'dropout1', type: 'dropout', p: 0.25 },
        { name: 'flatten', type: 'flatten' },
        { name: 'fc1', type: 'linear', out: 128, bias: true },
        { name: 'relu3', type: 'relu' },
        { name: 'dropout2', type: 'dropout', p: 0.5 },
        { name: 'fc2', type: 'linear', out: MNIST_CLASSES, bias: true },
      ],
    },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && Object.hasOwn(PRESETS, value);
}

/** A fresh copy of a preset's spec (callers may edit it). */
export function presetSpec(name: PresetName): ModelSpec {
  return structuredClone(PRESETS[name].spec) as ModelSpec;
}

/** The preset `spec` is (same layers and settings), or null for any other network. */
export function presetOf(spec: ModelSpec): PresetName | null {
  return PRESET_NAMES.find((name) => sameModel(PRESETS[name].spec, spec)) ?? null;
}

// nn.Flatten: an image [C, H, W] becomes one vector of C·H·W features, so dense layers can read it.
import { noScratch, noTensors, type LayerKind } from '../layerKind';
import { sizeOf } from '../shape';

export interface FlattenLayer {
  name: string;
  type: 'flatten';
}

export const flatten: LayerKind<FlattenLayer> = {
  type: 'flatten',
  label: 'Flatten',
  description: "Lays the image's channels out as one long list of numbers, so a linear layer can read them.",
  role: 'reshape',
  settings: {},
  outputShape: (_layer, input) => [sizeOf(input)],
  params: noTensors,
  buffers: noTensors,
  // The output is counted as a copy (the walk counts every output), no arithmetic.
  cost: () => ({ flops: 0, saved: 0, scratch: noScratch }),
};

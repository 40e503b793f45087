// nn.Dropout: in training each value is zeroed with probability p and the rest scaled by
// 1/(1 − p); in evaluation it passes everything.
import { noScratch, noTensors, type LayerKind } from '../layerKind';
import { sizeOf } from '../shape';

export interface DropoutLayer {
  name: string;
  type: 'dropout';
  p: number;
}

export const dropout: LayerKind<DropoutLayer> = {
  type: 'dropout',
  label: 'Dropout',
  description: 'While training, switches off a random share of the values at every step, so no unit can rely on another: a guard against overfitting.',
  role: 'dropout',
  settings: {
    p: {
      kind: 'number',
      label: 'Drop probability',
      help: 'The share of values switched off at each training step. Too high and the network cannot learn; 0 turns dropout off.',
      min: 0,
      max: 0.95,
      default: 0.5,
    },
  },
  outputShape: (_layer, input) => [...input],
  params: noTensors,
  buffers: noTensors,
  // The mask of kept values is kept for backward.
  cost: (_layer, input) => ({ flops: 2 * sizeOf(input), saved: sizeOf(input), scratch: noScratch }),
};

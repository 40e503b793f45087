// Flatten, as torch.nn.Flatten: merges dims startDim..endDim (default 1..-1, i.e. all but
// the batch), sharing storage with its input.
import { flatten } from '../ops/shape';
import type { Tensor } from '../tensor';
import { Module } from './module';

export interface FlattenOptions {
  startDim?: number;
  endDim?: number;
}

export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(options: FlattenOptions = {}) {
    super();
    this.startDim = options.startDim ?? 1;
    this.endDim = options.endDim ?? -1;
    for (const [name, d] of [
      ['startDim', this.startDim],
      ['endDim', this.endDim],
    ] as const) {
      if (!Number.isInteger(d)) throw new Error(`Flatten: ${name} must be an integer, got ${d}`);
    }
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}

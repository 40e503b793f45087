// Conv2d: y = W ⋆ x + b with W [out, in, kH, kW], as torch.nn.Conv2d (no dilation, no groups,
// zero padding). PyTorch's default init: kaiming_uniform(a=√5) for W, i.e.
// U(−1/√fan_in, 1/√fan_in) with fan_in = in·kH·kW, and the same bound for b.
import { Rng } from '../data/rng';
import { conv2d } from '../ops/conv';
import { pair, type Size2 } from '../ops/window';
import type { Tensor } from '../tensor';
import { uniformInit } from './init';
import { Module } from './module';

export interface Conv2dModuleOptions {
  /** Default 1. */
  stride?: Size2;
  /** Default 0. */
  padding?: Size2;
  /** Default true. */
  bias?: boolean;
  rng?: Rng;
}

export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Size2,
    options: Conv2dModuleOptions = {},
  ) {
    super();
    for (const [what, n] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
    ] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`Conv2d: ${what} must be a positive integer, got ${n}`);
    }
    this.kernelSize = pair(kernelSize, 'kernelSize', 'Conv2d', 1);
    this.stride = pair(options.stride ?? 1, 'stride', 'Conv2d', 1);
    this.padding = pair(options.padding ?? 0, 'padding', 'Conv2d', 0);
    const rng = options.rng ?? new Rng(0);
    const [kH, kW] = this.kernelSize;
    const bound = 1 / Math.sqrt(inChannels * kH * kW);
    this.weight = this.registerParameter('weight', uniformInit([outChannels, inChannels, kH, kW], bound, rng));
    this.bias = options.bias === false ? null : this.registerParameter('bias', uniformInit([outChannels], bound, rng));
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }
}

// MaxPool2d and AvgPool2d, as torch.nn's (floor mode; the stride defaults to the kernel size).
// Settings are checked when the module is built, not at its first forward.
import { avgPool2d, maxPool2d, poolWindow, type AvgPool2dOptions, type Pool2dOptions } from '../ops/pool';
import type { Size2 } from '../ops/window';
import type { Tensor } from '../tensor';
import { Module } from './module';

export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: Size2, options: Pool2dOptions = {}) {
    super();
    ({ kernelSize: this.kernelSize, stride: this.stride, padding: this.padding } = poolWindow(kernelSize, options, 'MaxPool2d'));
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}

export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly countIncludePad: boolean;

  constructor(kernelSize: Size2, options: AvgPool2dOptions = {}) {
    super();
    ({ kernelSize: this.kernelSize, stride: this.stride, padding: this.padding } = poolWindow(kernelSize, options, 'AvgPool2d'));
    this.countIncludePad = options.countIncludePad ?? true;
  }

  forward(x: Tensor): Tensor {
    const { kernelSize, stride, padding, countIncludePad } = this;
    return avgPool2d(x, kernelSize, { stride, padding, countIncludePad });
  }
}

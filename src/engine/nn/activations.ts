// Activation modules beside ReLU (relu.ts), with torch.nn's settings and defaults.
import { elu, gelu, leakyRelu, sigmoid, softplus, tanh } from '../ops/activation';
import type { Tensor } from '../tensor';
import { Module } from './module';

function finite(module: string, name: string, value: number): number {
  if (!Number.isFinite(value)) throw new Error(`${module}: ${name} must be a finite number, got ${value}`);
  return value;
}

export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(options: { negativeSlope?: number } = {}) {
    super();
    this.negativeSlope = finite('LeakyReLU', 'negativeSlope', options.negativeSlope ?? 0.01);
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}

/** The exact GELU, x·Φ(x) (PyTorch's approximate='none'). */
export class GELU extends Module {
  forward(x: Tensor): Tensor {
    return gelu(x);
  }
}

export class ELU extends Module {
  readonly alpha: number;

  constructor(options: { alpha?: number } = {}) {
    super();
    this.alpha = finite('ELU', 'alpha', options.alpha ?? 1);
  }

  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
}

export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;

  constructor(options: { beta?: number; threshold?: number } = {}) {
    super();
    this.beta = finite('Softplus', 'beta', options.beta ?? 1);
    this.threshold = finite('Softplus', 'threshold', options.threshold ?? 20);
    if (this.beta === 0) throw new Error('Softplus: beta must not be 0');
  }

  forward(x: Tensor): Tensor {
    return softplus(x, this.beta, this.threshold);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

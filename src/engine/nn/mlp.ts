// The reference network: Linear(in, hidden) → ReLU → Linear(hidden, classes).
// State names l1.weight, l1.bias, l2.weight, l2.bias match the PyTorch `ANet`.
import { Rng } from '../data/rng';
import type { Tensor } from '../tensor';
import { linearThen } from './fusion';
import { Linear } from './linear';
import { Module } from './module';

export class MLP extends Module {
  readonly l1: Linear;
  readonly l2: Linear;

  constructor(
    readonly inFeatures = 784,
    readonly hidden = 128,
    readonly classes = 10,
    rng: Rng = new Rng(0),
  ) {
    super();
    this.l1 = this.registerModule('l1', new Linear(inFeatures, hidden, { rng }));
    this.l2 = this.registerModule('l2', new Linear(hidden, classes, { rng }));
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithHidden(x).logits;
  }

  /** Logits and the hidden activations after ReLU (for the network view). l1 and the ReLU run as one fused op. */
  forwardWithHidden(x: Tensor): { hidden: Tensor; logits: Tensor } {
    const hidden = linearThen(this.l1, x, 'relu');
    return { hidden, logits: this.l2.forward(hidden) };
  }
}

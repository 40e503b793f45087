// Which layer pairs run as one fused op. A Linear followed by an activation the Linear can
// apply in its own epilogue becomes one `linearActivated` op: the same values and gradients
// as the two layers (tests/engine/fusion.test.ts), without storing the pre-activation or
// making a second pass over it. Only the exact classes are fused, so a subclass that
// overrides forward() keeps its own behaviour.
import type { Activation } from '../kernels/fusedActivation';
import { linearActivated } from '../ops/linear';
import type { Tensor } from '../tensor';
import { Linear } from './linear';
import type { Module } from './module';
import { ReLU } from './relu';

/** The activation `layer` is, when it can be fused into a preceding Linear; null otherwise. */
export function fusableActivation(layer: Module | undefined): Activation | null {
  return layer !== undefined && layer.constructor === ReLU ? 'relu' : null;
}

/** `layer` as a Linear that may take an activation into its epilogue, or null. */
export function fusableLinear(layer: Module): Linear | null {
  return layer.constructor === Linear ? (layer as Linear) : null;
}

/** activation(linear.forward(x)) as one op. */
export function linearThen(linear: Linear, x: Tensor, activation: Activation): Tensor {
  return linearActivated(x, linear.weight, linear.bias, activation);
}

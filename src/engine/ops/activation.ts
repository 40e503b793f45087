// Activations. ReLU's backward is a mask on its output (no stored copy of the input).
import type { Tensor } from '../tensor';
import { unaryOp } from './unary';

export function relu(x: Tensor): Tensor {
  return unaryOp('relu', x);
}

export function tanh(x: Tensor): Tensor {
  return unaryOp('tanh', x);
}

export function sigmoid(x: Tensor): Tensor {
  return unaryOp('sigmoid', x);
}

// Tensor: a float32 row-major array with a shape, plus what autograd needs (requiresGrad,
// grad, and the op that produced it). The methods are thin: each forwards to one op in
// ops/, where the forward and backward live side by side.
import { backward as runBackward, type GradFn } from './autograd';
import type { Rng } from './data/rng';
import { relu, sigmoid, tanh } from './ops/activation';
import { checkShape, formatShape, sameShape, sizeOf } from './ops/dims';
import { add, div, mul, sub } from './ops/elementwise';
import { matmul } from './ops/matmul';
import { argmax, max, mean, sum } from './ops/reduce';
import { flatten, reshape, transpose } from './ops/shape';
import { logSoftmax, softmax } from './ops/softmax';
import { exp, log, neg } from './ops/unary';
import { allocFloat32, epochOf, isLiveEpoch, isResident, residentCopy } from './storage';

export interface TensorOptions {
  requiresGrad?: boolean;
}

export class Tensor {
  private storage: Float32Array;
  /** The step scope whose arena holds the storage, or 0 (see storage.ts). */
  private epoch: number;
  readonly shape: readonly number[];
  readonly size: number;
  requiresGrad: boolean;
  /** Accumulated gradient of a leaf after backward(); null until then or after zeroGrad(). */
  grad: Tensor | null = null;
  /** The op that produced this tensor, when it was recorded for autograd (null for leaves). */
  gradFn: GradFn | null = null;

  /** Wraps `data` (not copied) as a tensor of `shape`. */
  constructor(data: Float32Array, shape: readonly number[], options: TensorOptions = {}) {
    checkShape(shape);
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new Error(`Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${size} elements)`);
    }
    this.storage = data;
    this.epoch = epochOf(data);
    this.shape = Object.freeze([...shape]);
    this.size = size;
    this.requiresGrad = options.requiresGrad ?? false;
  }

  static zeros(shape: readonly number[], options?: TensorOptions): Tensor {
    checkShape(shape);
    return new Tensor(allocFloat32(sizeOf(shape)), shape, options);
  }

  static ones(shape: readonly number[], options?: TensorOptions): Tensor {
    return Tensor.full(shape, 1, options);
  }

  static full(shape: readonly number[], value: number, options?: TensorOptions): Tensor {
    const t = Tensor.zeros(shape, options);
    t.data.fill(value);
    return t;
  }

  /** Copies `values` into new storage. */
  static fromArray(values: ArrayLike<number>, shape: readonly number[], options?: TensorOptions): Tensor {
    const t = Tensor.zeros(shape, options);
    if (values.length !== t.size) {
      throw new Error(`Tensor.fromArray: ${values.length} values do not fill shape ${formatShape(shape)} (${t.size} elements)`);
    }
    t.data.set(values);
    return t;
  }

  /** Standard normal samples from `rng`. */
  static randn(shape: readonly number[], rng: Rng, options?: TensorOptions): Tensor {
    const t = Tensor.zeros(shape, options);
    for (let i = 0; i < t.size; i++) t.data[i] = rng.normal();
    return t;
  }

  /**
   * Row-major storage: an ordinary array, or a view of the WASM kernels' memory (see storage.ts).
   * Throws for a tensor whose step scope has ended, since the arena has reused its memory.
   */
  get data(): Float32Array {
    if (this.epoch !== 0 && !isLiveEpoch(this.epoch)) {
      throw new Error(`${this.toString()} was made inside a stepScope that has ended; its memory is reused (copy values out inside the scope)`);
    }
    return this.storage;
  }

  /**
   * Moves the storage into persistent memory the kernels read in place (the WASM memory, when
   * installed), keeping the values: parameters and optimizer state live there. A no-op when
   * it is there already or no such memory is installed. Arrays taken from `data` before keep
   * the old values, so call this before anyone holds them (Module.registerParameter does).
   */
  makeResident(): void {
    const data = this.data;
    if (this.epoch === 0 && isResident(data)) return;
    const moved = residentCopy(data);
    if (!moved) return;
    this.storage = moved;
    this.epoch = 0;
  }

  get ndim(): number {
    return this.shape.length;
  }

  add(other: Tensor | number): Tensor {
    return add(this, other);
  }
  sub(other: Tensor | number): Tensor {
    return sub(this, other);
  }
  mul(other: Tensor | number): Tensor {
    return mul(this, other);
  }
  div(other: Tensor | number): Tensor {
    return div(this, other);
  }
  neg(): Tensor {
    return neg(this);
  }
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  transpose(d0?: number, d1?: number): Tensor {
    return transpose(this, d0, d1);
  }
  reshape(shape: readonly number[]): Tensor {
    return reshape(this, shape);
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return flatten(this, startDim, endDim);
  }
  relu(): Tensor {
    return relu(this);
  }
  exp(): Tensor {
    return exp(this);
  }
  log(): Tensor {
    return log(this);
  }
  tanh(): Tensor {
    return tanh(this);
  }
  sigmoid(): Tensor {
    return sigmoid(this);
  }
  sum(axis?: number, keepdim = false): Tensor {
    return sum(this, axis, keepdim);
  }
  mean(axis?: number, keepdim = false): Tensor {
    return mean(this, axis, keepdim);
  }
  max(axis?: number, keepdim = false): Tensor {
    return max(this, axis, keepdim);
  }
  softmax(axis = -1): Tensor {
    return softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return logSoftmax(this, axis);
  }
  argmax(axis?: number): Int32Array {
    return argmax(this, axis);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements, not 1`);
    return this.data[0];
  }

  /** The values, flattened row-major, as plain numbers. */
  toArray(): number[] {
    return Array.from(this.data);
  }

  /** Same storage, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** A copy with its own storage, cut from the graph. */
  clone(): Tensor {
    return Tensor.fromArray(this.data, this.shape);
  }

  /**
   * Back-propagates from this tensor: `grad` defaults to 1 for a one-element tensor.
   * Leaf gradients accumulate across calls, as in PyTorch.
   */
  backward(grad?: Tensor): void {
    if (!this.requiresGrad) {
      throw new Error('backward: this tensor does not require grad (no input had requiresGrad, or it was made under noGrad)');
    }
    let seed: Float32Array;
    if (grad) {
      if (!sameShape(grad.shape, this.shape)) {
        throw new Error(`backward: gradient shape ${formatShape(grad.shape)} does not match tensor shape ${formatShape(this.shape)}`);
      }
      seed = grad.data;
    } else {
      if (this.size !== 1) {
        throw new Error(`backward: a gradient is needed for a non-scalar tensor of shape ${formatShape(this.shape)}`);
      }
      seed = allocFloat32(1);
      seed[0] = 1;
    }
    runBackward(this, seed);
  }

  toString(): string {
    return `Tensor(shape=${formatShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}

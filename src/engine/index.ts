// The engine's public API (PyTorch-like). See README.md for a tour.
export { Tensor, type TensorOptions } from './tensor';
export { noGrad, isGradEnabled } from './autograd';
export { crossEntropy, nllLoss, type Targets, type CrossEntropyOptions } from './nn/losses';
export { Module, Linear, ReLU, Sequential, MLP, gradNorm, ParameterSnapshot, type StateDict, type LoadOptions } from './nn';
export {
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  Flatten,
  LeakyReLU,
  GELU,
  ELU,
  Softplus,
  Tanh,
  Sigmoid,
  BatchNorm1d,
  BatchNorm2d,
  Dropout,
  type Conv2dModuleOptions,
  type FlattenOptions,
  type BatchNormOptions,
  type DropoutOptions,
} from './nn';
export { Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, type OptimizerState, type OptimizerKind } from './optim';
export { Rng } from './data/rng';
export { linear } from './ops/linear';
export { conv2d, type Conv2dOptions } from './ops/conv';
export { maxPool2d, avgPool2d, type Pool2dOptions, type AvgPool2dOptions } from './ops/pool';
export { flatten } from './ops/shape';
export { leakyRelu, gelu, elu, softplus } from './ops/activation';
export { batchNorm, type BatchNormOptions as BatchNormFunctionOptions } from './ops/batchNorm';
export { dropout } from './ops/dropout';
export type { Size2 } from './ops/window';
export { matmulInto, matmulReference, setMatmulBackend, getMatmulBackend, type MatmulArgs, type MatmulKernel } from './kernels/matmul';
export { allocFloat32, setFloat32Allocator, stepScope } from './storage';

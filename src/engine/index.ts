// The engine's public API (PyTorch-like). See README.md for a tour.
export { Tensor, type TensorOptions } from './tensor';
export { noGrad, isGradEnabled } from './autograd';
export { crossEntropy, nllLoss, type Targets } from './nn/losses';
export { Module, Linear, ReLU, Sequential, MLP, type StateDict, type LoadOptions } from './nn';
export { Optimizer, SGD, Adam, type OptimizerState, type OptimizerKind } from './optim';
export { Rng } from './data/rng';
export { linear } from './ops/linear';
export { matmulInto, matmulReference, setMatmulBackend, getMatmulBackend, type MatmulArgs, type MatmulKernel } from './kernels/matmul';
export { allocFloat32, setFloat32Allocator, stepScope } from './storage';

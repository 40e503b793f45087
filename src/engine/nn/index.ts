export { Module, type LoadOptions, type StateDict } from './module';
export { Linear, type LinearOptions } from './linear';
export { ReLU } from './relu';
export { Sequential } from './sequential';
export { MLP } from './mlp';
export { crossEntropy, nllLoss, type Targets } from './losses';

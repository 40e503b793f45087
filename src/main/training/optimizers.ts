// The engine side of the optimizer registry: how each registered optimizer is built. Its
// hyperparameters are named as the engine's state dicts name them (lr, momentum, …), so a
// config's `hyper` is applied as it is.
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer, type Tensor } from '../../engine';
import type { OptimizerConfig, OptimizerName } from '../../shared/optimizers';

const FACTORIES: { [K in OptimizerName]: (params: Tensor[]) => Optimizer } = {
  adam: (params) => new Adam(params),
  adamw: (params) => new AdamW(params),
  sgd: (params) => new SGD(params, { lr: 0.01 }),
  rmsprop: (params) => new RMSprop(params),
  adagrad: (params) => new Adagrad(params),
};

/** A fresh optimizer over `params` with the config's hyperparameters. */
export function createOptimizer(params: Tensor[], config: OptimizerConfig): Optimizer {
  const optimizer = FACTORIES[config.type](params);
  optimizer.setHyperparameters(config.hyper);
  return optimizer;
}

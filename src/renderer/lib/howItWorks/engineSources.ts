// The engine's source files the "How it works" code panel shows, as text: Vite's `?raw` reads them
// at build time, so what the panel shows is what runs (it cannot drift), and no engine code runs
// in the renderer (the house-rules test allows exactly these `?raw` imports of engine sources).
import activation from '../../../engine/ops/activation.ts?raw';
import batchNorm from '../../../engine/ops/batchNorm.ts?raw';
import conv from '../../../engine/ops/conv.ts?raw';
import dropout from '../../../engine/ops/dropout.ts?raw';
import elementwise from '../../../engine/ops/elementwise.ts?raw';
import linear from '../../../engine/ops/linear.ts?raw';
import loss from '../../../engine/ops/loss.ts?raw';
import pool from '../../../engine/ops/pool.ts?raw';
import reduce from '../../../engine/ops/reduce.ts?raw';
import shape from '../../../engine/ops/shape.ts?raw';
import softmax from '../../../engine/ops/softmax.ts?raw';
import unary from '../../../engine/ops/unary.ts?raw';
import adam from '../../../engine/optim/adam.ts?raw';
import adagrad from '../../../engine/optim/adagrad.ts?raw';
import adamw from '../../../engine/optim/adamw.ts?raw';
import rmsprop from '../../../engine/optim/rmsprop.ts?raw';
import sgd from '../../../engine/optim/sgd.ts?raw';

/** By path under src/engine/. */
export const ENGINE_SOURCES = {
  'ops/activation.ts': activation,
  'ops/batchNorm.ts': batchNorm,
  'ops/conv.ts': conv,
  'ops/dropout.ts': dropout,
  'ops/elementwise.ts': elementwise,
  'ops/linear.ts': linear,
  'ops/loss.ts': loss,
  'ops/pool.ts': pool,
  'ops/reduce.ts': reduce,
  'ops/shape.ts': shape,
  'ops/softmax.ts': softmax,
  'ops/unary.ts': unary,
  'optim/adam.ts': adam,
  'optim/adagrad.ts': adagrad,
  'optim/adamw.ts': adamw,
  'optim/rmsprop.ts': rmsprop,
  'optim/sgd.ts': sgd,
} as const;

export type EngineFile = keyof typeof ENGINE_SOURCES;

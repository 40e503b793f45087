// The code behind each node of the step graph: for every registered layer kind (keyed by the
// registry's types, so a new kind without its code does not compile) the ops its forward records,
// as the engine names them, where their forward and backward live in src/engine, and the PyTorch
// line that does the same. The loss and the optimizers likewise. The text comes from
// engineSources.ts (read at build time); this file only says where to look in it.
import type { LayerOf, LayerSpec, LayerType } from '../../../shared/model/layerKinds';
import type { OptimizerName } from '../../../shared/optimizers';
import { ENGINE_SOURCES, type EngineFile } from './engineSources';

export interface OpCode {
  /** The GradFn name the engine records (`relu`, `linear`, …). */
  op: string;
  file: EngineFile;
  /** The functions to show, in order: the op's own first, then the helpers it calls. */
  functions: string[];
  /** What PyTorch writes for the same thing. */
  pytorch: string;
}

type LayerCode<K extends LayerType> = (layer: LayerOf<K>) => OpCode[];

const activation = (op: string, fn: string, pytorch: string, file: EngineFile = 'ops/activation.ts'): OpCode[] => [{ op, file, functions: [fn], pytorch }];

/**
 * What each kind records in evaluation mode, as the graph is taken (dropout then passes its input
 * through unchanged and records nothing; in training it records `dropout`, listed all the same).
 */
export const LAYER_CODE: { [K in LayerType]: LayerCode<K> } = {
  linear: (l) => [
    { op: 'linear', file: 'ops/linear.ts', functions: ['linear', 'linearActivated'], pytorch: l.bias ? 'x @ W.T + b          # F.linear(x, W, b)' : 'x @ W.T          # F.linear(x, W)' },
  ],
  conv2d: (l) => [{ op: 'conv2d', file: 'ops/conv.ts', functions: ['conv2d'], pytorch: `F.conv2d(x, w${l.bias ? ', b' : ''}, stride=${l.stride}, padding=${l.padding})` }],
  maxpool2d: (l) => [{ op: 'maxPool2d', file: 'ops/pool.ts', functions: ['maxPool2d'], pytorch: `F.max_pool2d(x, kernel_size=${l.kernel}, stride=${l.stride}, padding=${l.padding})` }],
  avgpool2d: (l) => [{ op: 'avgPool2d', file: 'ops/pool.ts', functions: ['avgPool2d'], pytorch: `F.avg_pool2d(x, kernel_size=${l.kernel}, stride=${l.stride}, padding=${l.padding})` }],
  flatten: () => [{ op: 'reshape', file: 'ops/shape.ts', functions: ['flatten', 'reshape'], pytorch: 'torch.flatten(x, 1)' }],
  relu: () => activation('relu', 'relu', 'F.relu(x)'),
  leakyrelu: (l) => activation('leakyRelu', 'leakyRelu', `F.leaky_relu(x, negative_slope=${l.negativeSlope})`),
  gelu: () => activation('gelu', 'gelu', 'F.gelu(x)'),
  elu: (l) => activation('elu', 'elu', `F.elu(x, alpha=${l.alpha})`),
  softplus: () => activation('softplus', 'softplus', 'F.softplus(x)'),
  tanh: () => [{ op: 'tanh', file: 'ops/unary.ts', functions: ['unaryOp'], pytorch: 'torch.tanh(x)' }],
  sigmoid: () => [{ op: 'sigmoid', file: 'ops/unary.ts', functions: ['unaryOp'], pytorch: 'torch.sigmoid(x)' }],
  batchnorm: (l) => [{ op: 'batchNorm', file: 'ops/batchNorm.ts', functions: ['batchNorm'], pytorch: `F.batch_norm(x, running_mean, running_var, weight, bias, training=False, eps=${l.eps})` }],
  dropout: (l) => [{ op: 'dropout', file: 'ops/dropout.ts', functions: ['dropout'], pytorch: `F.dropout(x, p=${l.p}, training=True)` }],
};

/** The loss of the training step (trainer.ts): cross-entropy, with label smoothing composed from four more ops. */
export function lossCode(labelSmoothing: number): OpCode[] {
  const hard: OpCode = { op: 'crossEntropy', file: 'ops/loss.ts', functions: ['crossEntropy'], pytorch: 'F.cross_entropy(logits, y)' };
  if (labelSmoothing === 0) return [hard];
  const smoothed = `F.cross_entropy(logits, y, label_smoothing=${labelSmoothing})`;
  return [
    { ...hard, pytorch: smoothed },
    { op: 'logSoftmax', file: 'ops/softmax.ts', functions: ['logSoftmax'], pytorch: 'F.log_softmax(logits, dim=-1)' },
    { op: 'mean', file: 'ops/reduce.ts', functions: ['mean', 'sumOrMean'], pytorch: 'log_p.mean()' },
    { op: 'mul', file: 'ops/elementwise.ts', functions: ['mul', 'binary', 'binaryWithScalar'], pytorch: `(1 − ${labelSmoothing}) · hard,  ${labelSmoothing} · smooth` },
    { op: 'sub', file: 'ops/elementwise.ts', functions: ['sub', 'binary'], pytorch: 'hard − smooth' },
  ];
}

export const OPTIMIZER_CODE: { [K in OptimizerName]: { file: EngineFile; pytorch: string } } = {
  adam: { file: 'optim/adam.ts', pytorch: 'torch.optim.Adam(model.parameters(), lr=lr).step()' },
  adamw: { file: 'optim/adamw.ts', pytorch: 'torch.optim.AdamW(model.parameters(), lr=lr).step()' },
  sgd: { file: 'optim/sgd.ts', pytorch: 'torch.optim.SGD(model.parameters(), lr=lr, momentum=m).step()' },
  rmsprop: { file: 'optim/rmsprop.ts', pytorch: 'torch.optim.RMSprop(model.parameters(), lr=lr).step()' },
  adagrad: { file: 'optim/adagrad.ts', pytorch: 'torch.optim.Adagrad(model.parameters(), lr=lr).step()' },
};

/** The code of an op node: its layer's entry for that op, or the loss's. */
export function codeForOp(op: string, layer: LayerSpec | null, labelSmoothing: number): OpCode | null {
  const entries = layer ? (LAYER_CODE[layer.type] as LayerCode<LayerType>)(layer as never) : lossCode(labelSmoothing);
  return entries.find((e) => e.op === op) ?? null;
}

/**
 * A function's (or method's) source in `text`, with the comment right above it: from its
 * declaration to the closing brace at the same indentation. Null when it is not there.
 */
export function functionSource(text: string, name: string): string | null {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^(\\s*)(export )?(override )?(function )?${name}\\(`).test(line));
  if (start < 0) return null;
  const indent = /^\s*/.exec(lines[start])![0];
  let end = start;
  while (end < lines.length && lines[end] !== `${indent}}`) end++;
  if (end === lines.length) return null;
  let first = start;
  while (first > 0 && /^\s*(\/\/|\/\*\*|\*)/.test(lines[first - 1])) first--;
  return lines.slice(first, end + 1).join('\n');
}

export interface ShownCode {
  file: EngineFile;
  /** The op's function up to the `result(` call that records its backward, and from there on. */
  forward: string;
  backward: string;
  /** The helpers it calls, whole. */
  helpers: string[];
}

/** An op's code split at the line that records its backward (`return result(…, backward)`). */
export function shownCode(code: OpCode): ShownCode | null {
  const text = ENGINE_SOURCES[code.file];
  const sources = code.functions.map((fn) => functionSource(text, fn));
  if (sources.some((s) => s === null)) return null;
  const own = sources.findIndex((s) => s!.includes('result('));
  if (own < 0) return null;
  const lines = sources[own]!.split('\n');
  const at = lines.findIndex((line) => line.includes('result('));
  return {
    file: code.file,
    forward: lines.slice(0, at).join('\n'),
    backward: lines.slice(at).join('\n'),
    helpers: sources.filter((_, i) => i !== own) as string[],
  };
}

/** An optimizer's step() method. */
export function optimizerStepSource(name: OptimizerName): string | null {
  return functionSource(ENGINE_SOURCES[OPTIMIZER_CODE[name].file], 'step');
}

// One training step as the engine records it (issue 27): forward, the loss and backward for one
// digit on the live model, in a step scope, and the tape walked into a graph for the renderer.
// Layers run one by one (forwardAll), as the health probe's samples do: training fuses a Linear
// with the ReLU after it into one op with the same values and gradients (engine/nn/fusion.ts),
// but a learner should see the two. Evaluation mode (dropout off, batch norm's running
// statistics), and the parameters' gradients are put back afterwards: looking changes nothing
// of the run. Everything kept is copied out of the scope's arena.
import { crossEntropy, stepScope, Tensor, type Optimizer } from '../../../engine';
import { MNIST_PIXELS } from '../../../shared/mnist';
import type { OptimizerName } from '../../../shared/optimizers';
import { HISTOGRAM_BINS, MAX_FULL_VALUES, type GraphNode, type StepGraph, type ValueSummary } from '../../../shared/stepGraph';
import type { SpecModel } from '../../model/specModel';
import { chainRules, type TensorSide } from './chainRules';
import { captureGradients, tapeOrder } from './tape';
import { weightUpdate } from './weightUpdate';

export interface StepGraphInput {
  model: SpecModel;
  optimizer: Optimizer;
  labelSmoothing: number;
  step: number;
  /** 784 values in [0, 1]. */
  pixels: Float32Array;
  label: number;
  index: number;
}

export function summarize(values: Float32Array): ValueSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    squares += v * v;
  }
  const histogram = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = max - min;
  for (const v of values) histogram[width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor(((v - min) / width) * HISTOGRAM_BINS)) : 0]++;
  return { min, max, mean: values.length > 0 ? sum / values.length : 0, norm: Math.sqrt(squares), histogram };
}

export function buildStepGraph(input: StepGraphInput): StepGraph {
  const { model } = input;
  const params = model.parameters();
  const savedGrads = params.map((p) => p.grad);
  const wasTraining = model.training;
  model.eval();
  try {
    // The last step's gradients may live in its (ended) scope's arena: backward must not add into them.
    for (const p of params) p.grad = null;
    return stepScope(() => record(input));
  } finally {
    params.forEach((p, i) => (p.grad = savedGrads[i]));
    if (wasTraining) model.train();
  }
}

function record({ model, optimizer, labelSmoothing, step, pixels, label, index }: StepGraphInput): StepGraph {
  const x = new Tensor(Float32Array.from(pixels), [1, MNIST_PIXELS]);
  const outputs = model.forwardAll(x);
  const logits = outputs[outputs.length - 1];
  const loss = crossEntropy(logits, [label], { labelSmoothing });
  const order = tapeOrder(loss);
  const captured = captureGradients(order);
  loss.backward();

  const named = new Map<Tensor, string>(model.namedParameters().map(([name, p]) => [p, name]));
  const layerOf = layerAttribution(model, outputs);
  const buffers = optimizer.stateDict().buffers;
  const ids = new Map<Tensor, number>(order.map((t, i) => [t, i]));
  const symbols = new Map<Tensor, string>();
  for (const t of order) {
    const name = named.get(t);
    const layer = layerOf.get(t);
    symbols.set(t, name ?? (t === loss ? 'L' : !t.gradFn ? 'x' : layer && outputs.includes(t) ? layer : `${layer ?? 'loss'}.${t.gradFn.name}`));
  }
  const gradOf = (t: Tensor): Float32Array | null => (t === loss ? Float32Array.of(1) : t.gradFn ? (captured.get(t) ?? null) : t.grad ? Float32Array.from(t.grad.data) : null);
  const side = (t: Tensor): TensorSide => ({ symbol: symbols.get(t)!, shape: t.shape, values: t.data, grad: gradOf(t), batched: !named.has(t) });
  const nodes: GraphNode[] = order.map((t, id) => {
    const name = named.get(t);
    const values = t.data;
    const grad = gradOf(t);
    const layerName = name ? name.slice(0, name.indexOf('.')) : (layerOf.get(t) ?? null);
    const node: GraphNode = {
      id,
      kind: t.gradFn ? 'op' : name ? 'param' : 'input',
      name: t.gradFn?.name ?? name ?? 'input',
      symbol: symbols.get(t)!,
      layer: layerName,
      inputs: t.gradFn ? t.gradFn.inputs.map((i) => ids.get(i)!) : [],
      shape: [...t.shape],
      values: values.length <= MAX_FULL_VALUES ? Float32Array.from(values) : null,
      forward: summarize(values),
      grad: grad && grad.length <= MAX_FULL_VALUES ? grad : null,
      gradSummary: grad ? summarize(grad) : null,
      chain: [],
      update: null,
    };
    if (t.gradFn) {
      const spec = model.spec.layers.find((l) => l.name === layerName) ?? null;
      node.chain = chainRules({ name: t.gradFn.name, out: side(t), inputs: t.gradFn.inputs.map(side), layer: spec, label });
    }
    if (name && t.grad) node.update = weightUpdate(optimizer, t, optimizer.params.indexOf(t), t.grad.data, buffers);
    return node;
  });
  const predicted = logits.argmax(1)[0];
  return {
    step,
    index,
    label,
    predicted,
    loss: loss.item(),
    nodes,
    layers: structuredClone(model.spec.layers),
    labelSmoothing,
    optimizer: optimizer.kind as OptimizerName,
  };
}

/** Each op to the layer whose forward made it: those reachable from its output and not from an earlier layer's. */
function layerAttribution(model: SpecModel, outputs: Tensor[]): Map<Tensor, string> {
  const owner = new Map<Tensor, string>();
  outputs.forEach((out, i) => {
    const name = model.spec.layers[i].name;
    const stack = [out];
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (owner.has(t) || !t.gradFn) continue;
      owner.set(t, name);
      stack.push(...t.gradFn.inputs);
    }
  });
  return owner;
}

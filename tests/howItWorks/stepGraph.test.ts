// Issue 27: the graph of one step is the engine's own record of it. For the mlp and cnn presets
// the graph's op nodes are exactly the GradFn nodes a walk of the tape finds (count and names,
// in order), a node's gradient equals what the engine's autograd gives that tensor (a parameter's
// .grad; an activation's, by making it a leaf and running the rest of the model), the chain
// rule's value is the gradient's element, the weight update is what optimizer.step() does, and
// looking changes nothing of the run.
import { describe, expect, it } from 'vitest';
import { crossEntropy, Rng, Tensor, type Optimizer } from '../../src/engine';
import { SpecModel } from '../../src/main/model/specModel';
import { buildStepGraph } from '../../src/main/training/howItWorks/stepGraph';
import { createOptimizer } from '../../src/main/training/optimizers';
import { defaultOptimizer, OPTIMIZER_NAMES, type OptimizerName } from '../../src/shared/optimizers';
import { presetSpec } from '../../src/shared/model/presets';
import type { GraphNode, StepGraph } from '../../src/shared/stepGraph';

function digitLike(seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(784);
  for (let y = 6; y < 22; y++) for (let c = 10; c < 18; c++) x[y * 28 + c] = 0.3 + 0.7 * rng.next();
  return x;
}

/** A few real steps on random digits, so the optimizer has state (m, v, momentum buffers). */
function trained(preset: 'mlp' | 'cnn', optimizer: OptimizerName, hyper: Record<string, number> = {}): { model: SpecModel; opt: Optimizer } {
  const model = new SpecModel(presetSpec(preset), new Rng(1));
  const config = defaultOptimizer(optimizer);
  const opt = createOptimizer(model.parameters(), { ...config, hyper: { ...config.hyper, ...hyper } });
  for (let s = 0; s < 3; s++) {
    const batch = new Float32Array(4 * 784);
    for (let i = 0; i < 4; i++) batch.set(digitLike(10 + s * 4 + i), i * 784);
    opt.zeroGrad();
    crossEntropy(model.forward(new Tensor(batch, [4, 784])), [1, 2, 3, 4]).backward();
    opt.step();
  }
  return { model, opt };
}

/** The test's own walk of the tape: op names, inputs before the ops that use them. */
function tapeNames(root: Tensor): string[] {
  const names: string[] = [];
  const seen = new Set<Tensor>();
  const visit = (t: Tensor): void => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const i of t.gradFn?.inputs ?? []) visit(i);
    if (t.gradFn) names.push(t.gradFn.name);
  };
  visit(root);
  return names;
}

const LABEL = 3;

function graphOf(model: SpecModel, opt: Optimizer, pixels: Float32Array): StepGraph {
  return buildStepGraph({ model, optimizer: opt, labelSmoothing: 0, step: opt.stepCount, pixels, label: LABEL, index: 7 });
}

function node(graph: StepGraph, symbol: string): GraphNode {
  const found = graph.nodes.find((n) => n.symbol === symbol);
  if (!found) throw new Error(`no node ${symbol} in ${graph.nodes.map((n) => n.symbol).join(', ')}`);
  return found;
}

describe.each([
  ['mlp', 'act'],
  ['cnn', 'pool2'],
] as const)('the step graph of %s', (preset, hiddenLayer) => {
  it("has exactly the op nodes of the engine record, and each gradient is the engine's", () => {
    const { model, opt } = trained(preset, 'adam');
    const pixels = digitLike(99);
    const graph = graphOf(model, opt, pixels);

    // The engine's record, walked independently, in evaluation mode as the graph is.
    model.eval();
    for (const p of model.parameters()) p.grad = null;
    const outputs = model.forwardAll(new Tensor(Float32Array.from(pixels), [1, 784]));
    const loss = crossEntropy(outputs[outputs.length - 1], [LABEL]);
    const names = tapeNames(loss);
    const ops = graph.nodes.filter((n) => n.kind === 'op');
    expect(ops.length).toBe(names.length);
    expect(ops.map((n) => n.name)).toEqual(names);
    expect(graph.loss).toBe(loss.item());
    loss.backward();
    model.train();

    // Parameters: the graph's gradient is the engine's .grad, value for value where sent whole.
    const named = new Map(model.namedParameters());
    for (const n of graph.nodes.filter((g) => g.kind === 'param')) {
      const grad = named.get(n.name)!.grad!.data;
      expect(n.gradSummary!.norm).toBeCloseTo(Math.hypot(...grad), 6);
      if (n.grad) expect(Array.from(n.grad)).toEqual(Array.from(grad));
    }
    expect(graph.nodes.filter((g) => g.kind === 'param').length).toBe(model.parameters().length);
    expect(graph.nodes.filter((g) => g.kind === 'input').length).toBe(1);

    // An activation: made a leaf, the rest of the model run on it, its .grad is the node's gradient.
    const index = model.spec.layers.findIndex((l) => l.name === hiddenLayer);
    const hidden = node(graph, hiddenLayer);
    const leaf = new Tensor(Float32Array.from(outputs[index].data), outputs[index].shape, { requiresGrad: true });
    model.eval();
    let y = leaf;
    for (const [, layer] of model.namedLayers().slice(index + 1)) y = layer.forward(y);
    crossEntropy(y, [LABEL]).backward();
    model.train();
    expect(Array.from(hidden.grad!)).toEqual(Array.from(leaf.grad!.data));

    // Every layer's ops are grouped under its name, the loss under none.
    for (const n of ops.slice(0, -1)) expect(model.spec.layers.map((l) => l.name)).toContain(n.layer);
    expect(ops[ops.length - 1]).toMatchObject({ name: 'crossEntropy', layer: null, shape: [] });
  });

  it('writes chain rules whose value is the gradient element, and changes nothing of the run', () => {
    const { model, opt } = trained(preset, 'sgd');
    const before = model.parameters().map((p) => Float32Array.from(p.data));
    const grads = model.parameters().map((p) => p.grad);
    const state = opt.stateDict();
    const graph = graphOf(model, opt, digitLike(5));
    model.parameters().forEach((p, i) => {
      expect(p.data).toEqual(before[i]);
      expect(p.grad).toBe(grads[i]);
    });
    expect(opt.stateDict()).toEqual(state);
    expect(model.training).toBe(true);

    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const relu = graph.nodes.find((n) => n.name === 'relu')!;
    const [rule] = relu.chain;
    expect(rule.formula).toMatch(/relu′/);
    const input = byId.get(relu.inputs[0])!;
    expect(rule.lhs.startsWith(`∂L/∂${input.symbol}[`)).toBe(true);
    const grad = input.grad!;
    const largest = grad.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    expect(Math.abs(rule.value)).toBe(largest);
    // relu′ is 1 on the element with the largest gradient: the two numbers multiply to it.
    const [g, local] = rule.numbers.split(' · ').map(Number);
    expect(local).toBe(1);
    expect(g).toBeCloseTo(rule.value, 3);
    const loss = graph.nodes.find((n) => n.name === 'crossEntropy')!;
    expect(loss.chain[0].lhs).toBe(`∂L/∂${byId.get(loss.inputs[0])!.symbol}[${LABEL}]`);
    expect(loss.chain[0].value).toBeLessThan(0); // p − 1
  });
});

// Every registered optimizer at its defaults, and the options that change its terms.
const VARIANTS: [OptimizerName, Record<string, number>][] = [
  ...OPTIMIZER_NAMES.map((name): [OptimizerName, Record<string, number>] => [name, {}]),
  ['adam', { weightDecay: 0.01 }],
  ['sgd', { momentum: 0.9, nesterov: 1, weightDecay: 1e-3 }],
  ['rmsprop', { centered: 1, momentum: 0.9, weightDecay: 1e-3 }],
  ['adagrad', { lrDecay: 0.01, weightDecay: 1e-3 }],
];

describe.each(VARIANTS)('the %s update of one weight (%o)', (optimizer, hyper) => {
  it("is what optimizer.step() does to it with this digit's gradient", () => {
    const { model, opt } = trained('mlp', optimizer, hyper);
    const pixels = digitLike(42);
    const graph = graphOf(model, opt, pixels);
    // The same step for real: this digit's gradient, then the optimizer.
    model.eval();
    opt.zeroGrad();
    crossEntropy(model.forwardAll(new Tensor(pixels, [1, 784])).pop()!, [LABEL]).backward();
    model.train();
    opt.step();
    const named = new Map(model.namedParameters());
    for (const n of graph.nodes.filter((g) => g.kind === 'param')) {
      const update = n.update!;
      expect(update.optimizer).toBe(optimizer);
      const after = named.get(n.name)!.data[update.index];
      const last = update.terms[update.terms.length - 1];
      expect(last.name).toBe('w′');
      // float64 arithmetic against the float32 kernel: a few float32 ulps of the weight's size.
      expect(Math.abs(last.value - after)).toBeLessThanOrEqual(4 * 2 ** -23 * Math.max(Math.abs(after), 1e-3));
    }
  });
});

// Why this answer (issue 18): the saliency map — the gradient of the predicted class's logit
// with respect to the input pixels, by the engine's autograd on an input that requires grad —
// and, for dense models, each hidden unit's contribution (activation × outgoing weight) to
// that logit. Works for any spec: the gradient flows back through convolutions, pooling and
// every activation as it does in training. Runs in evaluation mode (dropout off, batch norm's
// running statistics); the parameters' gradients of the last training step are put back, so
// explaining between two steps changes nothing.
import { Tensor } from '../../engine';
import type { TensorView } from '../../shared/contract';
import { MAX_CONTRIBUTIONS, MAX_NEGATIVE_CONTRIBUTIONS, type Explanation, type UnitContribution } from '../../shared/insight/explain';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../shared/mnist';
import { describeModel } from '../../shared/model/describe';
import { assertFiniteProbabilities } from '../model/finiteOutputs';
import type { SpecModel } from '../model/specModel';

/** `pixels`: 784 values in [0, 1]. `target`: the class to explain (default: the predicted one). */
export function explainInput(model: SpecModel, pixels: Float32Array, target?: number): Explanation {
  const params = model.parameters();
  const savedGrads = params.map((p) => p.grad);
  const wasTraining = model.training;
  model.eval();
  try {
    // The last step's gradients may live in its step scope's arena, gone by now: this backward
    // pass must not add into them (they are put back as they were afterwards).
    for (const p of params) p.grad = null;
    const x = new Tensor(Float32Array.from(pixels), [1, MNIST_PIXELS], { requiresGrad: true });
    const outputs = model.forwardAll(x);
    const logits = outputs[outputs.length - 1];
    const predicted = logits.argmax(1)[0];
    const cls = target ?? predicted;
    const seed = new Float32Array(MNIST_CLASSES);
    seed[cls] = 1;
    logits.backward(new Tensor(seed, [1, MNIST_CLASSES]));
    const saliency = Float32Array.from(x.grad?.data ?? new Float32Array(MNIST_PIXELS));
    const probabilities = Array.from(softmax(logits.data));
    assertFiniteProbabilities(probabilities);
    const activations: TensorView[] = outputs.map((out, i) => ({ name: model.spec.layers[i].name, shape: out.shape.slice(1), data: Float32Array.from(out.data) }));
    return {
      classification: { predicted, probabilities, activations },
      target: cls,
      saliency,
      contributions: contributions(model, outputs, cls),
    };
  } finally {
    params.forEach((p, i) => (p.grad = savedGrads[i]));
    if (wasTraining) model.train();
  }
}

function softmax(logits: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** For a last linear layer on a vector of hidden units, in a model without convolutions: h_j × W[target, j], sorted. */
function contributions(model: SpecModel, outputs: Tensor[], target: number): Explanation['contributions'] {
  const info = describeModel(model.spec);
  const n = info.layers.length;
  const last = info.layers[n - 1];
  if (n < 2 || last.layer.type !== 'linear' || last.input.length !== 1) return null;
  if (info.layers.some((l) => l.role === 'conv')) return null;
  const state = model.stateDict();
  const weight = state.get(`${last.layer.name}.weight`);
  if (!weight) return null;
  const bias = state.get(`${last.layer.name}.bias`);
  const hidden = outputs[n - 2].data;
  const units = hidden.length;
  const all: UnitContribution[] = [];
  for (let j = 0; j < units; j++) {
    const w = weight.data[target * units + j];
    all.push({ unit: j, activation: hidden[j], weight: w, contribution: hidden[j] * w });
  }
  const sorted = all.slice().sort((a, b) => b.contribution - a.contribution);
  const top = sorted.filter((c) => c.contribution > 0).slice(0, MAX_CONTRIBUTIONS);
  const bottom = sorted
    .filter((c) => c.contribution < 0)
    .slice(-MAX_NEGATIVE_CONTRIBUTIONS)
    .reverse();
  const b = bias ? bias.data[target] : 0;
  return {
    layer: last.layer.name,
    hiddenLayer: info.layers[n - 2].layer.name,
    units,
    top,
    bottom,
    bias: b,
    logit: outputs[n - 1].data[target],
  };
}

// The optimizer's update of one weight, term by term, from its live state (issue 27): what the
// next step would do to that weight if this digit's gradient were the batch's. The formulas
// are the engine's (engine/optim/*.ts, torch.optim's); keyed by every registered optimizer, so
// one without its update written out does not compile. Nothing is changed.
import type { Optimizer } from '../../../engine';
import type { OptimizerName } from '../../../shared/optimizers';
import { indexOf, type WeightUpdate } from '../../../shared/stepGraph';

interface One {
  /** The weight, its gradient, and its state buffers' values (absent before the first step). */
  w: number;
  g: number;
  state: Record<string, number | undefined>;
  hyper: Record<string, number>;
  /** Steps taken so far (the update is step `step + 1`). */
  step: number;
}

type Terms = WeightUpdate['terms'];

/** The first terms of every update: the gradient, and with L2 weight decay (added to the gradient, as torch.optim does) the decayed one. */
function gradientTerms(w: number, g: number, weightDecay: number): { grad: number; terms: Terms } {
  const terms: Terms = [{ name: 'g', formula: '∂L/∂w', value: g }];
  if (weightDecay === 0) return { grad: g, terms };
  const grad = g + weightDecay * w;
  terms.push({ name: 'g', formula: `g + ${weightDecay}·w`, value: grad });
  return { grad, terms };
}

function adam(decoupled: boolean) {
  return ({ w, g, state, hyper, step }: One): Terms => {
    const { lr, beta1, beta2, eps, weightDecay } = hyper;
    const t = step + 1;
    // AdamW decays the weight itself; Adam adds the decay to the gradient.
    const { grad, terms } = gradientTerms(w, g, decoupled ? 0 : weightDecay);
    let weight = w;
    if (weightDecay !== 0 && decoupled) {
      weight = w * (1 - lr * weightDecay);
      terms.push({ name: 'w', formula: `w·(1 − lr·${weightDecay})`, value: weight });
    }
    const m0 = state.exp_avg ?? 0;
    const v0 = state.exp_avg_sq ?? 0;
    const m = beta1 * m0 + (1 - beta1) * grad;
    const v = beta2 * v0 + (1 - beta2) * grad * grad;
    const mHat = m / (1 - beta1 ** t);
    const vHat = v / (1 - beta2 ** t);
    const delta = (lr * mHat) / (Math.sqrt(vHat) + eps);
    terms.push(
      { name: 'm', formula: `${beta1}·m + ${round(1 - beta1)}·g  (m was ${fmt(m0)})`, value: m },
      { name: 'v', formula: `${beta2}·v + ${round(1 - beta2)}·g²  (v was ${fmt(v0)})`, value: v },
      { name: 'm̂', formula: `m / (1 − ${beta1}^${t})`, value: mHat },
      { name: 'v̂', formula: `v / (1 − ${beta2}^${t})`, value: vHat },
      { name: 'step', formula: `lr·m̂ / (√v̂ + ε) with lr ${fmt(lr)}, ε ${fmt(eps)}`, value: delta },
      { name: 'w′', formula: `w − step  (w was ${fmt(w)})`, value: weight - delta },
    );
    return terms;
  };
}

const sgd = ({ w, g, state, hyper }: One): Terms => {
  const { lr, momentum, dampening, weightDecay, nesterov } = hyper;
  const { grad, terms } = gradientTerms(w, g, weightDecay);
  let d = grad;
  if (momentum !== 0) {
    const first = state.momentum_buffer === undefined;
    const buf = first ? d : momentum * state.momentum_buffer! + (1 - dampening) * d;
    terms.push({
      name: 'buf',
      formula: first ? 'g  (the first step starts the momentum buffer)' : `${momentum}·buf + ${round(1 - dampening)}·g  (buf was ${fmt(state.momentum_buffer!)})`,
      value: buf,
    });
    d = nesterov ? d + momentum * buf : buf;
    if (nesterov) terms.push({ name: 'd', formula: `g + ${momentum}·buf  (Nesterov)`, value: d });
  }
  terms.push(
    { name: 'step', formula: `lr·${momentum !== 0 && !nesterov ? 'buf' : momentum !== 0 ? 'd' : 'g'} with lr ${fmt(lr)}`, value: lr * d },
    { name: 'w′', formula: `w − step  (w was ${fmt(w)})`, value: w - lr * d },
  );
  return terms;
};

const rmsprop = ({ w, g, state, hyper }: One): Terms => {
  const { lr, alpha, eps, weightDecay, momentum, centered } = hyper;
  const { grad, terms } = gradientTerms(w, g, weightDecay);
  const v0 = state.square_avg ?? 0;
  const v = alpha * v0 + (1 - alpha) * grad * grad;
  terms.push({ name: 'v', formula: `${alpha}·v + ${round(1 - alpha)}·g²  (v was ${fmt(v0)})`, value: v });
  let d: number;
  if (centered) {
    const m0 = state.grad_avg ?? 0;
    const m = alpha * m0 + (1 - alpha) * grad;
    d = Math.sqrt(v - m * m) + eps;
    terms.push({ name: 'ḡ', formula: `${alpha}·ḡ + ${round(1 - alpha)}·g  (ḡ was ${fmt(m0)})`, value: m }, { name: 'd', formula: `√(v − ḡ²) + ε with ε ${fmt(eps)}`, value: d });
  } else {
    d = Math.sqrt(v) + eps;
    terms.push({ name: 'd', formula: `√v + ε with ε ${fmt(eps)}`, value: d });
  }
  let step: number;
  if (momentum > 0) {
    const b0 = state.momentum_buffer ?? 0;
    const buf = momentum * b0 + grad / d;
    step = lr * buf;
    terms.push({ name: 'buf', formula: `${momentum}·buf + g/d  (buf was ${fmt(b0)})`, value: buf }, { name: 'step', formula: `lr·buf with lr ${fmt(lr)}`, value: step });
  } else {
    step = (lr * grad) / d;
    terms.push({ name: 'step', formula: `lr·g / d with lr ${fmt(lr)}`, value: step });
  }
  terms.push({ name: 'w′', formula: `w − step  (w was ${fmt(w)})`, value: w - step });
  return terms;
};

const adagrad = ({ w, g, state, hyper, step: taken }: One): Terms => {
  const { lr, lrDecay, eps, weightDecay, initialAccumulatorValue } = hyper;
  const { grad, terms } = gradientTerms(w, g, weightDecay);
  // Step t = taken + 1 divides lr by 1 + (t − 1)·lr_decay.
  const clr = lr / (1 + taken * lrDecay);
  if (lrDecay !== 0) terms.push({ name: 'lr′', formula: `lr / (1 + ${taken}·${lrDecay})`, value: clr });
  const s0 = state.sum ?? initialAccumulatorValue;
  const sum = s0 + grad * grad;
  const step = (clr * grad) / (Math.sqrt(sum) + eps);
  terms.push(
    { name: 's', formula: `s + g²  (s was ${fmt(s0)})`, value: sum },
    { name: 'step', formula: `${lrDecay !== 0 ? 'lr′' : 'lr'}·g / (√s + ε) with lr ${fmt(clr)}, ε ${fmt(eps)}`, value: step },
    { name: 'w′', formula: `w − step  (w was ${fmt(w)})`, value: w - step },
  );
  return terms;
};

const UPDATES: { [K in OptimizerName]: (one: One) => Terms } = {
  adam: adam(false),
  adamw: adam(true),
  sgd,
  rmsprop,
  adagrad,
};

function fmt(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}

/**
 * The update of the element of `param` whose gradient is largest in size. `grad` is this
 * step's gradient of the parameter; `buffers` the optimizer's state dict (stateDict()).
 */
export function weightUpdate(
  optimizer: Optimizer,
  param: { data: Float32Array; shape: readonly number[] },
  paramIndex: number,
  grad: Float32Array,
  buffers: Record<string, Float32Array>,
): WeightUpdate {
  let k = 0;
  for (let i = 1; i < grad.length; i++) if (Math.abs(grad[i]) > Math.abs(grad[k])) k = i;
  const state: Record<string, number | undefined> = {};
  for (const [name, buf] of Object.entries(buffers)) {
    const dot = name.indexOf('.');
    if (Number(name.slice(0, dot)) === paramIndex) state[name.slice(dot + 1)] = buf[k];
  }
  const kind = optimizer.kind as OptimizerName;
  const update = UPDATES[kind];
  const one: One = { w: param.data[k], g: grad[k], state, hyper: optimizer.hyperparameters(), step: optimizer.stepCount };
  return { optimizer: kind, index: k, at: indexOf(param.shape, k), terms: update ? update(one) : [{ name: 'g', formula: '∂L/∂w', value: grad[k] }] };
}

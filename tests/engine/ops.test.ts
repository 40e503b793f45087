// Every case of tests/fixtures/ops.json (PyTorch 1.13): forward values and the gradients of
// sum(output * upstream) with respect to each input, to 1e-5 relative.
import { describe, expect, it } from 'vitest';
import { crossEntropy, linear, nllLoss, Tensor } from '../../src/engine';
import { expectClose, readFixtureJson, tensorOf } from './fixtures';

interface Arr {
  shape: number[];
  data: number[];
}
interface OpCase {
  name: string;
  attrs: { axis?: number; keepdim?: boolean; reduction?: string };
  inputs: Arr[];
  intInputs: Arr[];
  output: Arr;
  upstream: Arr;
  grads: Arr[];
}

type Apply = (x: Tensor[], ints: number[][], attrs: OpCase['attrs']) => Tensor;

// Case names are `<op>` or `<op>_<variant>`; each maps to the engine call PyTorch made.
const ops: [prefix: string, apply: Apply][] = [
  ['add', ([a, b]) => a.add(b)],
  ['sub', ([a, b]) => a.sub(b)],
  ['mul', ([a, b]) => a.mul(b)],
  ['div', ([a, b]) => a.div(b)],
  ['neg', ([a]) => a.neg()],
  ['matmul', ([a, b]) => a.matmul(b)],
  ['linear_like', ([x, w, b]) => linear(x, w, b)],
  ['transpose', ([a]) => a.transpose()],
  ['reshape', ([a]) => a.reshape([6, 4])],
  ['relu', ([a]) => a.relu()],
  ['exp', ([a]) => a.exp()],
  ['log_softmax', ([a], _, { axis }) => a.logSoftmax(axis)],
  ['log', ([a]) => a.log()],
  ['tanh', ([a]) => a.tanh()],
  ['sigmoid', ([a]) => a.sigmoid()],
  ['sum', ([a], _, { axis, keepdim }) => a.sum(axis, keepdim)],
  ['mean', ([a], _, { axis, keepdim }) => a.mean(axis, keepdim)],
  ['max', ([a], _, { axis, keepdim }) => a.max(axis, keepdim)],
  ['softmax', ([a], _, { axis }) => a.softmax(axis)],
  ['cross_entropy', ([a], [t]) => crossEntropy(a, t)],
  // The fixture feeds nll_loss the log_softmax of its input (raw inputs are not log-probabilities).
  ['nll_loss', ([a], [t]) => nllLoss(a.logSoftmax(1), t)],
];

function applyFor(name: string): Apply {
  const found = ops.find(([prefix]) => name === prefix || name.startsWith(`${prefix}_`));
  if (!found) throw new Error(`ops.json case "${name}" has no engine mapping`);
  return found[1];
}

const { cases } = readFixtureJson<{ cases: OpCase[] }>('ops.json');

describe('ops match PyTorch (tests/fixtures/ops.json)', () => {
  it('covers every op the issue lists', () => {
    expect(cases.length).toBeGreaterThanOrEqual(28);
  });

  for (const c of cases) {
    it(c.name, () => {
      const inputs = c.inputs.map((x) => tensorOf(x, true));
      const out = applyFor(c.name)(
        inputs,
        c.intInputs.map((t) => t.data),
        c.attrs,
      );
      expect(out.shape).toEqual(c.output.shape);
      expectClose(out.data, c.output.data, `${c.name} forward`);

      out.backward(tensorOf(c.upstream));
      c.grads.forEach((g, i) => {
        const grad = inputs[i].grad;
        expect(grad, `${c.name} grad ${i}`).not.toBeNull();
        expect(grad?.shape).toEqual(g.shape);
        expectClose(grad?.data ?? [], g.data, `${c.name} grad of input ${i}`);
      });
    });
  }
});

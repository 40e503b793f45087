// Every op's backward against central finite differences (see gradcheck.ts).
import { describe, expect, it } from 'vitest';
import { result } from '../../src/engine/autograd';
import { crossEntropy, linear, nllLoss, Rng, type Tensor } from '../../src/engine';
import { awayFromZero, distinct, gradcheck, uniform } from './gradcheck';

const rng = new Rng(7);
const u = (...shape: number[]): Tensor => uniform(shape, rng);
const positive = (...shape: number[]): Tensor => uniform(shape, rng, 0.5, 2);
const nonZero = (...shape: number[]): Tensor => awayFromZero(shape, rng, 0.5);

const cases: [name: string, f: (x: Tensor[]) => Tensor, inputs: () => Tensor[]][] = [
  ['add', ([a, b]) => a.add(b), () => [u(3, 4), u(3, 4)]],
  ['add broadcast row', ([a, b]) => a.add(b), () => [u(3, 4), u(4)]],
  ['add broadcast both', ([a, b]) => a.add(b), () => [u(3, 1), u(1, 4)]],
  ['add scalar', ([a]) => a.add(2.5), () => [u(5)]],
  ['sub broadcast col', ([a, b]) => a.sub(b), () => [u(4, 3), u(4, 1)]],
  ['sub scalar', ([a]) => a.sub(0.5), () => [u(2, 3)]],
  ['mul', ([a, b]) => a.mul(b), () => [u(3, 4), u(3, 4)]],
  ['mul broadcast 3-D', ([a, b]) => a.mul(b), () => [u(2, 3, 4), u(3, 1)]],
  ['mul scalar', ([a]) => a.mul(-3), () => [u(6)]],
  ['div', ([a, b]) => a.div(b), () => [u(3, 4), nonZero(3, 4)]],
  ['div broadcast', ([a, b]) => a.div(b), () => [u(3, 4), nonZero(1)]],
  ['div scalar', ([a]) => a.div(4), () => [u(6)]],
  ['neg', ([a]) => a.neg(), () => [u(7)]],
  ['matmul', ([a, b]) => a.matmul(b), () => [u(4, 5), u(5, 3)]],
  ['linear', ([x, w, b]) => linear(x, w, b), () => [u(4, 6), u(3, 6), u(3)]],
  ['linear without bias', ([x, w]) => linear(x, w), () => [u(4, 6), u(3, 6)]],
  ['transpose 2-D', ([a]) => a.transpose(), () => [u(3, 5)]],
  ['transpose 3-D axes 0,2', ([a]) => a.transpose(0, 2), () => [u(2, 3, 4)]],
  ['reshape', ([a]) => a.reshape([4, -1]).mul(a.reshape([4, 6])), () => [u(2, 3, 4)]],
  ['relu', ([a]) => a.relu(), () => [awayFromZero([5, 6], rng)]],
  ['exp', ([a]) => a.exp(), () => [u(4, 4)]],
  ['log', ([a]) => a.log(), () => [positive(4, 4)]],
  ['tanh', ([a]) => a.tanh(), () => [u(4, 4)]],
  ['sigmoid', ([a]) => a.sigmoid(), () => [uniform([4, 4], rng, -4, 4)]],
  ['sum all', ([a]) => a.sum(), () => [u(3, 4)]],
  ['sum axis 0', ([a]) => a.sum(0), () => [u(3, 4)]],
  ['sum axis 1 keepdim', ([a]) => a.sum(1, true), () => [u(3, 4)]],
  ['sum middle axis of 3-D', ([a]) => a.sum(1), () => [u(2, 3, 4)]],
  ['mean all', ([a]) => a.mean(), () => [u(3, 4)]],
  ['mean axis -1 keepdim', ([a]) => a.mean(-1, true), () => [u(3, 4)]],
  ['max all', ([a]) => a.max(), () => [distinct([3, 4], rng)]],
  ['max axis 0', ([a]) => a.max(0), () => [distinct([3, 4], rng)]],
  ['max axis 1 keepdim', ([a]) => a.max(1, true), () => [distinct([3, 4], rng)]],
  ['softmax last axis', ([a]) => a.softmax(), () => [uniform([3, 5], rng, -2, 2)]],
  ['softmax axis 0', ([a]) => a.softmax(0), () => [uniform([3, 5], rng, -2, 2)]],
  ['logSoftmax last axis', ([a]) => a.logSoftmax(), () => [uniform([3, 5], rng, -2, 2)]],
  ['logSoftmax axis 1 of 3-D', ([a]) => a.logSoftmax(1), () => [uniform([2, 3, 4], rng, -2, 2)]],
  ['crossEntropy', ([a]) => crossEntropy(a, [2, 0, 4, 4]), () => [uniform([4, 5], rng, -3, 3)]],
  ['nllLoss', ([a]) => nllLoss(a, [1, 3, 0]), () => [u(3, 4)]],
  ['composite: MLP-like chain', ([x, w1, w2]) => crossEntropy(linear(x, w1).tanh().matmul(w2), [1, 0, 2]), () => [u(3, 4), u(5, 4), u(5, 3)]],
];

describe('finite-difference gradient check', () => {
  for (const [name, f, inputs] of cases) {
    it(name, () => {
      expect(gradcheck(f, inputs())).toBeNull();
    });
  }

  it('catches a wrong backward', () => {
    // x² with a backward that forgets the factor 2.
    const square = ([x]: Tensor[]): Tensor =>
      result(
        x.data.map((v) => v * v),
        x.shape,
        'badSquare',
        [x],
        (g, gradIn) => {
          const gx = gradIn(0);
          if (gx) for (let i = 0; i < g.length; i++) gx[i] += g[i] * x.data[i];
        },
      );
    expect(gradcheck(square, [u(4)])).toMatch(/analytic/);
  });

  it('catches a broadcast gradient that is not summed back', () => {
    const badAdd = ([a, b]: Tensor[]): Tensor => {
      const out = a.add(b).detach();
      return result(out.data, out.shape, 'badAdd', [a, b], (g, gradIn) => {
        const ga = gradIn(0);
        const gb = gradIn(1);
        if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i];
        if (gb) for (let i = 0; i < gb.length; i++) gb[i] += g[i]; // only the first row
      });
    };
    expect(gradcheck(badAdd, [u(3, 4), u(4)])).toMatch(/analytic/);
  });
});

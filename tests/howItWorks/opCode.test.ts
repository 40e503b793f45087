// Issue 27, item 3: every op the step graph can show — for every registered layer kind and the
// loss — has its engine source (forward and the backward it records) and its PyTorch line found;
// checked on the registry's entries and on real graphs of a model with every kind, the presets
// and a label-smoothed loss. Every optimizer's step() is found too.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine';
import { SpecModel } from '../../src/main/model/specModel';
import { buildStepGraph } from '../../src/main/training/howItWorks/stepGraph';
import { createOptimizer } from '../../src/main/training/optimizers';
import { LAYER_KINDS, LAYER_TYPES, type LayerSpec } from '../../src/shared/model/layerKinds';
import { PRESET_NAMES, presetSpec } from '../../src/shared/model/presets';
import type { ModelSpec } from '../../src/shared/model/spec';
import { validateModelSpec } from '../../src/shared/model/validateSpec';
import { defaultOptimizer, OPTIMIZER_NAMES } from '../../src/shared/optimizers';
import { ENGINE_SOURCES } from '../../src/renderer/lib/howItWorks/engineSources';
import { codeForOp, LAYER_CODE, lossCode, optimizerStepSource, shownCode, type OpCode } from '../../src/renderer/lib/howItWorks/opCode';

function withDefaults(type: (typeof LAYER_TYPES)[number]): LayerSpec {
  const settings = Object.fromEntries(Object.entries(LAYER_KINDS[type].settings).map(([key, s]) => [key, s.default]));
  return { name: type, type, ...settings } as LayerSpec;
}

function expectFound(code: OpCode): void {
  const shown = shownCode(code);
  expect(shown, `${code.op} in ${code.file}`).not.toBeNull();
  expect(shown!.forward.length).toBeGreaterThan(0);
  expect(shown!.backward).toMatch(/result\(/);
  // The engine records the op under this name somewhere in its sources.
  expect(
    Object.values(ENGINE_SOURCES).some((text) => text.includes(`'${code.op}'`)),
    code.op,
  ).toBe(true);
  expect(code.pytorch.trim().length).toBeGreaterThan(0);
}

/** A valid model that has every registered kind once (the spec is checked by the registry). */
const EVERY_KIND: ModelSpec = validateModelSpec({
  input: [1, 28, 28],
  layers: [
    { name: 'conv', type: 'conv2d', out: 4, kernel: 3, stride: 1, padding: 1, bias: true },
    { name: 'bn', type: 'batchnorm', momentum: 0.1, eps: 1e-5 },
    { name: 'relu', type: 'relu' },
    { name: 'maxpool', type: 'maxpool2d', kernel: 2, stride: 2, padding: 0 },
    { name: 'leaky', type: 'leakyrelu', negativeSlope: 0.01 },
    { name: 'avgpool', type: 'avgpool2d', kernel: 2, stride: 2, padding: 0 },
    { name: 'gelu', type: 'gelu' },
    { name: 'flat', type: 'flatten' },
    { name: 'drop', type: 'dropout', p: 0.5 },
    { name: 'fc1', type: 'linear', out: 16, bias: true },
    { name: 'elu', type: 'elu', alpha: 1 },
    { name: 'softplus', type: 'softplus' },
    { name: 'tanh', type: 'tanh' },
    { name: 'sigmoid', type: 'sigmoid' },
    { name: 'fc2', type: 'linear', out: 10, bias: false },
  ],
});

describe('the code behind each node', () => {
  it.each(LAYER_TYPES)('%s: every op it records has its source and PyTorch line', (type) => {
    const layer = withDefaults(type);
    const codes = (LAYER_CODE[type] as (l: LayerSpec) => OpCode[])(layer);
    expect(codes.length).toBeGreaterThan(0);
    codes.forEach(expectFound);
  });

  it.each([0, 0.1])('the loss (label smoothing %s)', (smoothing) => {
    lossCode(smoothing).forEach(expectFound);
    expect(lossCode(0)[0].pytorch).toBe('F.cross_entropy(logits, y)');
  });

  it('uses every registered kind in the model below (so the graph test covers them all)', () => {
    expect(new Set(EVERY_KIND.layers.map((l) => l.type))).toEqual(new Set(LAYER_TYPES));
  });

  const graphs: [string, ModelSpec, number][] = [
    ['every kind', EVERY_KIND, 0],
    ['every kind, smoothed loss', EVERY_KIND, 0.1],
    ...PRESET_NAMES.map((name): [string, ModelSpec, number] => [name, presetSpec(name), 0]),
  ];
  it.each(graphs)('every op node of a real graph (%s) finds its code', (_name, spec, smoothing) => {
    const model = new SpecModel(spec, new Rng(2));
    const optimizer = createOptimizer(model.parameters(), defaultOptimizer('adam'));
    const pixels = new Float32Array(784).map((_, i) => ((i * 7) % 13) / 13);
    const graph = buildStepGraph({ model, optimizer, labelSmoothing: smoothing, step: 0, pixels, label: 4, index: 0 });
    const ops = graph.nodes.filter((n) => n.kind === 'op');
    expect(ops.length).toBeGreaterThan(0);
    for (const node of ops) {
      const layer = spec.layers.find((l) => l.name === node.layer) ?? null;
      const code = codeForOp(node.name, layer, smoothing);
      expect(code, `${node.name} of ${node.layer}`).not.toBeNull();
      expectFound(code!);
    }
  });

  it.each(OPTIMIZER_NAMES)("the %s optimizer's step() is found", (name) => {
    expect(optimizerStepSource(name)).toMatch(/step\(\)/);
  });
});

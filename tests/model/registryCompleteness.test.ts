// Every registered layer kind and optimizer works in every tier: validation, the engine,
// weights files, ONNX, the diagram, the CLI. A kind or optimizer added to a registry but
// forgotten somewhere fails here (the mapped types catch most of it at compile time; this
// catches what compiles but does not work).
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { noGrad, Rng, Tensor } from '../../src/engine';
import { USAGE } from '../../src/main/cli/args';
import { LAYER_MODULES } from '../../src/main/model/layerModules';
import { LAYER_ONNX } from '../../src/main/model/onnxExport';
import { LAYER_PYTHON, pytorchModelSource } from '../../src/main/model/pythonExport';
import { SpecModel } from '../../src/main/model/specModel';
import { createOptimizer } from '../../src/main/training/optimizers';
import { HealthCollector } from '../../src/main/training/health';
import { HISTOGRAM_BINS } from '../../src/shared/insight/health';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeOnnxExport, encodeWeightsFile } from '../../src/main/weights/encode';
import { optimizerFromTensors, optimizerToTensors } from '../../src/main/weights/optimizerTensors';
import { ROLE_DRAWING, stagesOf } from '../../src/renderer/lib/diagram';
import { defaultConfig } from '../../src/shared/contract';
import { describeModel } from '../../src/shared/model/describe';
import { LAYER_KINDS, LAYER_TYPES, type LayerSpec, type LayerType } from '../../src/shared/model/layerKinds';
import type { ModelSpec } from '../../src/shared/model/spec';
import { validateModelSpec } from '../../src/shared/model/validateSpec';
import { HYPERPARAMETERS, hyperNamesOf, hyperProblem, hyperSettingOf, keptStateOf, OPTIMIZER_NAMES, OPTIMIZERS } from '../../src/shared/optimizers';
import { settingProblem, type NumberSetting } from '../../src/shared/model/settings';
import { validateOptimizerConfig } from '../../src/shared/validate';

/** A layer of `type` with every setting at its default. */
function defaultLayer(type: LayerType, name: string): LayerSpec {
  const layer: Record<string, unknown> = { name, type };
  for (const [key, setting] of Object.entries(LAYER_KINDS[type].settings)) layer[key] = setting.default;
  return layer as unknown as LayerSpec;
}

/** The smallest valid model around one layer of `type`: it, then (if it does not already give them) a linear layer to the 10 classes, after a flatten for an image. */
function specAround(type: LayerType): ModelSpec {
  const layer = defaultLayer(type, 'probe');
  for (const input of [[784], [1, 28, 28]]) {
    const out = { name: 'out', type: 'linear', out: 10, bias: true };
    for (const tail of [[], [out], [{ name: 'flat', type: 'flatten' }, out]] as LayerSpec[][]) {
      try {
        return validateModelSpec({ input, layers: [layer, ...tail] });
      } catch {
        // try the next arrangement
      }
    }
  }
  throw new Error(`no small valid model around a ${type} layer`);
}

describe.each(LAYER_TYPES)('layer kind %s', (type) => {
  const spec = specAround(type);
  const info = describeModel(spec);

  it('is described for the UI and has valid settings', () => {
    const kind = LAYER_KINDS[type];
    expect(kind.type).toBe(type);
    expect(kind.label).not.toBe('');
    expect(kind.description.length).toBeGreaterThan(20);
    for (const setting of Object.values(kind.settings)) expect(setting.help.length).toBeGreaterThan(10);
    expect(ROLE_DRAWING[kind.role]).toBeDefined();
    expect(stagesOf(info).length).toBeGreaterThan(0);
  });

  it('says what it costs per image (the budgets of shared/model/cost.ts read it)', () => {
    for (const l of info.layers) {
      const cost = LAYER_KINDS[l.layer.type].cost(l.layer as never, l.input, l.output);
      for (const value of [cost.flops, cost.saved, cost.scratch(1), cost.scratch(64)]) {
        expect(Number.isFinite(value) && value >= 0).toBe(true);
      }
      expect(cost.scratch(64)).toBeGreaterThanOrEqual(cost.scratch(1));
    }
    expect(info.layers.find((l) => l.layer.name === 'probe')).toBeDefined();
  });

  it('builds in the engine with the parameters the registry declares', () => {
    expect(LAYER_MODULES[type]).toBeDefined();
    const model = new SpecModel(spec, new Rng(1));
    const declared = info.state.map((t) => [t.name, t.shape]);
    expect([...model.stateDict()].map(([name, t]) => [name, [...t.shape]])).toEqual(declared);
    const out = noGrad(() => model.forward(Tensor.full([2, 784], 0.5)));
    expect(out.shape).toEqual([2, 10]);
  });

  it('is measured by the training-health monitor: an activation (by its role) gets a histogram of its output, a layer with weights its gradient norm and histograms', () => {
    const model = new SpecModel(spec, new Rng(5));
    const collector = new HealthCollector(model, () => 0);
    const probe = collector.probe(1); // the first steps are always sampled in full
    expect(probe.wantsOutputs?.()).toBe(true);
    probe.beforeStep?.();
    probe.afterForward?.(noGrad(() => model.forwardAll(Tensor.full([2, 784], 0.5))));
    for (const p of model.parameters()) p.grad = Tensor.full(p.shape, 0.1);
    probe.afterBackward?.();
    probe.afterStep?.(1, 2.3);
    const [sample] = collector.takeSamples();
    const health = sample.layers.find((l) => l.layer === 'probe');
    const kind = LAYER_KINDS[type];
    const params = info.params.filter((t) => t.name.startsWith('probe.'));
    if (kind.role === 'activation' || params.length > 0) expect(health?.activations?.counts).toHaveLength(HISTOGRAM_BINS);
    if (params.length > 0) expect(health?.gradNorm).toBeGreaterThan(0);
    if (params.some((t) => t.name === 'probe.weight')) expect(health?.weights?.counts).toHaveLength(HISTOGRAM_BINS);
    if (kind.role !== 'activation' && params.length === 0) expect(health).toBeUndefined(); // nothing of its own to show
  });

  it('has a torch.nn module for model.py', () => {
    expect(LAYER_PYTHON[type]).toBeDefined();
    expect(pytorchModelSource(spec)).toMatch(new RegExp(`\\("probe", nn\\.[A-Za-z0-9]+\\(`));
  });

  it('round-trips through a weights file', () => {
    const model = new SpecModel(spec, new Rng(2));
    const bytes = encodeWeightsFile({ params: model.stateDict(), config: { ...defaultConfig(), model: spec }, step: 1, testAccuracy: null });
    const loaded = decodeWeightsFile(bytes);
    expect(loaded.spec).toEqual(spec);
    for (const [name, t] of model.stateDict()) expect(loaded.tensors.get(name)?.data).toEqual(t.data);
  });

  it("exports to ONNX with the engine's logits", async () => {
    expect(LAYER_ONNX[type]).toBeDefined();
    const model = new SpecModel(spec, new Rng(3)).eval(); // the inference graph: running statistics, no dropout
    const x = Tensor.fromArray(
      Array.from({ length: 2 * 784 }, (_, i) => (i % 17) / 17),
      [2, 784],
    );
    const ours = noGrad(() => model.forward(x)).data;
    const session = await ort.InferenceSession.create(encodeOnnxExport(spec, model.stateDict()));
    try {
      const result = await session.run({ pixels: new ort.Tensor('float32', x.data.slice(), [2, ...spec.input]) });
      const theirs = result.logits.data as Float32Array;
      for (let i = 0; i < ours.length; i++) expect(Math.abs(theirs[i] - ours[i])).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  });
});

describe.each(OPTIMIZER_NAMES)('optimizer %s', (type) => {
  it('has valid defaults, every hyperparameter a known one the engine takes, and a CLI flag for each', () => {
    const config = validateOptimizerConfig({ type });
    expect(config.hyper).toEqual(OPTIMIZERS[type].defaults);
    const optimizer = createOptimizer([Tensor.zeros([2], { requiresGrad: true })], config);
    for (const name of hyperNamesOf(type)) {
      expect(HYPERPARAMETERS[name]).toBeDefined();
      expect(optimizer.hyperparameters()[name]).toBe(config.hyper[name]);
      expect(USAGE).toContain(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
    expect(USAGE).toContain(type);
  });

  // Its defaults, and each of its switches and its momentum turned on in turn (where the combination is valid).
  const variants: Record<string, number>[] = [{ ...OPTIMIZERS[type].defaults }];
  for (const name of hyperNamesOf(type)) {
    const setting: NumberSetting = HYPERPARAMETERS[name];
    const on = setting.onOff ? 1 : name === 'momentum' ? 0.9 : null;
    if (on === null) continue;
    const off = name === 'momentum' ? 0 : null;
    for (const value of off === null ? [on] : [on, off]) {
      const hyper = { ...variants[0], [name]: value };
      if (name === 'nesterov') hyper.momentum = 0.9;
      if (!hyperProblem(type, hyper)) variants.push(hyper);
    }
  }

  it.each(variants)("after a step with %j, it holds the state keys the registry's rule gives, which go into a weights file and back", (hyper) => {
    const spec = specAround('linear');
    const model = new SpecModel(spec, new Rng(4));
    const optimizer = createOptimizer(model.parameters(), validateOptimizerConfig({ type, hyper }));
    for (const p of model.parameters()) p.grad = Tensor.full(p.shape, 0.1);
    optimizer.step();
    const state = optimizer.stateDict();
    const expected = keptStateOf(type, hyper);
    for (const key of expected) expect(OPTIMIZERS[type].stateKeys).toContain(key);
    const params = describeModel(spec).params;
    expect(Object.keys(state.buffers).sort()).toEqual(params.flatMap((_, i) => expected.map((key) => `${i}.${key}`)).sort());
    const { tensors, metadata } = optimizerToTensors(state, params);
    expect(optimizerFromTensors(tensors, metadata, params)).toEqual(state);
  });

  it('has a help text and a default for each of its hyperparameters, its own where the shared one does not fit', () => {
    for (const name of hyperNamesOf(type)) {
      const setting = hyperSettingOf(type, name);
      expect(setting.default).toBe(OPTIMIZERS[type].defaults[name as keyof (typeof OPTIMIZERS)[typeof type]['defaults']]);
      expect(setting.help.length).toBeGreaterThan(20);
      expect(settingProblem(setting, setting.default)).toBeNull();
    }
  });
});

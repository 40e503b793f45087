import { describe, expect, it } from 'vitest';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { mlpSpec } from '../../src/shared/model/spec';
import { DEEP_SPEC, configWith, fixtureBytes, makeParams, mlpConfig, splitSafetensors } from './helpers';

describe('encodeWeightsFile → decodeWeightsFile', () => {
  const config = mlpConfig(16, {
    optimizer: { type: 'adam', hyper: { lr: 0.002, weightDecay: 0 }, schedule: { type: 'warmup-cosine', hyper: { warmupSteps: 50, warmupStartFactor: 0.1, scheduleSteps: 900, minLrFactor: 0.01 } } },
    batchSize: 64,
    labelSmoothing: 0.1,
    earlyStopping: 4,
  });
  const params = makeParams(16);
  const date = new Date('2026-01-02T03:04:05.000Z');
  const { model, ...settings } = config;

  it('gives back every tensor bit for bit, the model and the metadata', () => {
    const bytes = encodeWeightsFile({ params, config, step: 1234, testAccuracy: 0.9712, date });
    const loaded = decodeWeightsFile(bytes);
    expect(loaded.spec).toEqual(mlpSpec(16));
    expect([...loaded.tensors.keys()]).toEqual([...params.keys()]);
    for (const [name, p] of params) {
      expect(loaded.tensors.get(name)?.shape).toEqual(p.shape);
      expect(loaded.tensors.get(name)?.data).toEqual(p.data);
    }
    expect(loaded.optimizer).toBeNull();
    expect(loaded.metadata).toEqual({ isDigitrain: true, model, settings, step: 1234, testAccuracy: 0.9712, date: date.toISOString(), random: null });
  });

  it('writes PyTorch names and layouts and the documented __metadata__ (the spec under "model")', () => {
    const bytes = encodeWeightsFile({ params, config, step: 7, testAccuracy: null, date });
    const { header } = splitSafetensors(bytes);
    const parsed = JSON.parse(header) as Record<string, { dtype: string; shape: number[] }> & { __metadata__: Record<string, string> };
    expect(Object.keys(parsed)).toEqual(['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias', '__metadata__']);
    expect(parsed['l1.weight']).toMatchObject({ dtype: 'F32', shape: [16, 784] });
    expect(parsed['l2.weight']).toMatchObject({ dtype: 'F32', shape: [10, 16] });
    expect(parsed.__metadata__).toEqual({
      format: 'digitrain',
      formatVersion: '2',
      model: JSON.stringify(model),
      hyperparameters: JSON.stringify(settings),
      step: '7',
      date: '2026-01-02T03:04:05.000Z',
    });
  });

  it('any spec: the tensors its layers own, in order, and the spec back', () => {
    const deep = makeParams(DEEP_SPEC);
    const bytes = encodeWeightsFile({ params: deep, config: configWith({ model: DEEP_SPEC }), step: 3, testAccuracy: null, date });
    const header = JSON.parse(splitSafetensors(bytes).header) as Record<string, { shape: number[] }>;
    expect(Object.keys(header)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'fc3.weight', '__metadata__']);
    expect(header['fc2.weight'].shape).toEqual([12, 24]);
    const loaded = decodeWeightsFile(bytes);
    expect(loaded.spec).toEqual(DEEP_SPEC);
    expect(loaded.tensors.get('fc3.weight')?.data).toEqual(deep.get('fc3.weight')?.data);
  });

  it('stores the optimizer state as optim.* tensors with the parameter shapes, and reads it back', () => {
    const buffers: Record<string, Float32Array> = {};
    for (const [index, name] of ['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias'].entries()) {
      const size = params.get(name)!.data.length;
      buffers[`${index}.exp_avg`] = Float32Array.from({ length: size }, (_, i) => i * 1e-3);
      buffers[`${index}.exp_avg_sq`] = Float32Array.from({ length: size }, (_, i) => i * 1e-6);
    }
    const optimizer = { kind: 'adam' as const, hyper: { lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, step: 42, buffers };
    const bytes = encodeWeightsFile({ params, config, step: 42, testAccuracy: 0.5, optimizer, date });
    const header = JSON.parse(splitSafetensors(bytes).header) as Record<string, { shape: number[] }> & { __metadata__: Record<string, string> };
    expect(header['optim.0.exp_avg'].shape).toEqual([16, 784]);
    expect(header['optim.3.exp_avg_sq'].shape).toEqual([10]);
    expect(header.__metadata__['optim.kind']).toBe('adam');
    expect(header.__metadata__['optim.step']).toBe('42');
    const loaded = decodeWeightsFile(bytes);
    expect(loaded.optimizer).toEqual(optimizer);
  });

  it('refuses to save a model whose shapes do not match its spec', () => {
    expect(() => encodeWeightsFile({ params: makeParams(8), config, step: 0, testAccuracy: null })).toThrow(/l1.weight has shape \[8, 784\], the spec says \[16, 784\]/);
  });
});

describe('files written before model specs (format version 1)', () => {
  it('load as the same MLP, settings and optimizer state', () => {
    // Written by Digitrain at fc5491e: hidden 8, SGD (lr 0.05, momentum 0.8), batch 16, seed 3, 20 steps, with optimizer state.
    const loaded = decodeWeightsFile(fixtureBytes('digitrain-v1-8h-sgd-resume.safetensors'));
    expect(loaded.spec).toEqual(mlpSpec(8));
    expect(loaded.metadata.settings).toEqual({
      // (nesterov came later: the file's SGD has the default, off)
      optimizer: { type: 'sgd', hyper: { lr: 0.05, momentum: 0.8, nesterov: 0, weightDecay: 0 }, schedule: { type: 'constant', hyper: {} } },
      batchSize: 16,
      epochs: null,
      seed: 3,
      evalEvery: 1000,
    });
    expect(loaded.metadata.step).toBe(20);
    expect(loaded.optimizer?.kind).toBe('sgd');
    expect(Object.keys(loaded.optimizer?.buffers ?? {})).toEqual(['0.momentum_buffer', '1.momentum_buffer', '2.momentum_buffer', '3.momentum_buffer']);
    expect(loaded.tensors.get('l1.weight')?.shape).toEqual([8, 784]);
  });
});

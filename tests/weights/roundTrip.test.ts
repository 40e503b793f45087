import { describe, expect, it } from 'vitest';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { splitSafetensors, configWith, makeParams } from './helpers';

describe('encodeWeightsFile → decodeWeightsFile', () => {
  const config = configWith({ hidden: 16, lr: 0.002, batchSize: 64 });
  const params = makeParams(16);
  const date = new Date('2026-01-02T03:04:05.000Z');

  it('gives back every parameter bit for bit, and the metadata', () => {
    const bytes = encodeWeightsFile({ params, config, step: 1234, testAccuracy: 0.9712, date });
    const loaded = decodeWeightsFile(bytes);
    expect(loaded.hidden).toBe(16);
    for (const [name, p] of params) {
      expect(loaded.params.get(name as never)?.shape).toEqual(p.shape);
      expect(loaded.params.get(name as never)?.data).toEqual(p.data);
    }
    expect(loaded.optimizer).toBeNull();
    expect(loaded.metadata).toEqual({
      isDigitrain: true,
      architecture: { type: 'mlp', layers: [784, 16, 10] },
      hyperparameters: config,
      step: 1234,
      testAccuracy: 0.9712,
      date: date.toISOString(),
    });
  });

  it('writes PyTorch names and layouts and the documented __metadata__', () => {
    const bytes = encodeWeightsFile({ params, config, step: 7, testAccuracy: null, date });
    const { header } = splitSafetensors(bytes);
    const parsed = JSON.parse(header) as Record<string, { dtype: string; shape: number[] }> & { __metadata__: Record<string, string> };
    expect(Object.keys(parsed)).toEqual(['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias', '__metadata__']);
    expect(parsed['l1.weight']).toMatchObject({ dtype: 'F32', shape: [16, 784] });
    expect(parsed['l2.weight']).toMatchObject({ dtype: 'F32', shape: [10, 16] });
    expect(parsed.__metadata__).toEqual({
      format: 'digitrain',
      formatVersion: '1',
      architecture: '{"type":"mlp","layers":[784,16,10]}',
      hyperparameters: JSON.stringify(config),
      step: '7',
      date: '2026-01-02T03:04:05.000Z',
    });
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

  it('refuses to save a model whose shapes do not match its config', () => {
    expect(() => encodeWeightsFile({ params: makeParams(8), config, step: 0, testAccuracy: null })).toThrow(
      /l1.weight has shape \[8, 784\], expected \[16, 784\]/,
    );
  });
});

// The weights commands through the real training worker thread (structured-clone bytes,
// validation on entry, errors as replies).
import { afterAll, describe, expect, it } from 'vitest';
import { TrainingHost } from '../../src/main/training/trainingHost';
import { decodeWeightsFile } from '../../src/main/weights/decode';

describe('weights commands in the training worker', () => {
  const host = new TrainingHost();
  afterAll(() => host.dispose());

  it('saves, rejects bad input with a clear reply, and loads', async () => {
    await host.request('reset', { config: { hidden: 12, seed: 3 } });
    const file = await host.request('weightsFile', { kind: 'weights' });
    expect(file.name).toBe('digitrain-12h-step0.safetensors');
    expect(decodeWeightsFile(file.bytes).hidden).toBe(12);

    await expect(host.request('weightsFile', { kind: 'zip' as never })).rejects.toThrow(/kind must be one of weights, weights\+optimizer, pytorch, onnx/);
    await expect(host.request('loadWeightsFile', { name: 'x', bytes: 'AAAA' as never })).rejects.toThrow(/must be bytes/);
    await expect(host.request('loadWeightsFile', { name: 'empty.safetensors', bytes: new Uint8Array(0) })).rejects.toThrow(/"empty.safetensors" is empty/);
    await expect(host.request('loadWeightsFile', { name: 'junk.safetensors', bytes: new Uint8Array(64).fill(7) })).rejects.toThrow(
      /not a valid safetensors file/,
    );

    await host.request('reset', { config: { hidden: 20 } });
    const result = await host.request('loadWeightsFile', { name: file.name, bytes: file.bytes });
    expect(result.loaded).toBe(true);
    expect(result.evaluation?.testAccuracy).toBeGreaterThan(0);
    const state = await host.request('getState', {});
    expect(state.config.hidden).toBe(12);
    expect(state.status).toBe('idle');
  });
});

// The weights commands through the real training worker thread (structured-clone bytes,
// validation on entry, errors as replies), and the native-dialog handlers Electron uses,
// with the dialogs faked.
import { unzipSync } from 'fflate';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingHost } from '../../src/main/training/trainingHost';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { createDialogWeightsHandlers, type FileDialogs } from '../../src/main/weights/dialogWeights';
import { mlpSpec } from '../../src/shared/model/spec';

describe('weights in the training worker', () => {
  const host = new TrainingHost();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digitrain-dialogs-'));
  });
  afterAll(async () => {
    await host.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('saves, rejects bad input with a clear reply, and loads', async () => {
    await host.request('reset', { config: { model: mlpSpec(12), seed: 3 } });
    const file = await host.request('weightsFile', { kind: 'weights' });
    expect(file.name).toBe('digitrain-12h-step0.safetensors');
    expect(decodeWeightsFile(file.bytes).spec).toEqual(mlpSpec(12));

    await expect(host.request('loadWeightsFile', { name: 'empty.safetensors', bytes: new Uint8Array(0) })).rejects.toThrow(/not a valid safetensors file/);
    await expect(host.request('loadWeightsFile', { name: 'junk.safetensors', bytes: new Uint8Array(64).fill(7) })).rejects.toThrow(/not a valid safetensors file/);

    await host.request('reset', { config: { model: mlpSpec(20) } });
    const result = await host.request('loadWeightsFile', { name: file.name, bytes: file.bytes });
    expect(result.loaded).toBe(true);
    expect(result.evaluation?.testAccuracy).toBeGreaterThan(0);
    const state = await host.request('getState', {});
    expect(state.config.model).toEqual(mlpSpec(12));
    expect(state.status).toBe('idle');
  });

  it('with native dialogs: writes the chosen path atomically, reads the chosen file, and handles cancel', async () => {
    let savePath: string | null = null;
    let openPath: string | null = null;
    const asked: string[] = [];
    const dialogs: FileDialogs = {
      chooseSavePath: async ({ title, defaultName, filters }) => {
        asked.push(`${title}|${defaultName}|${filters[0].extensions.join(',')}`);
        return savePath;
      },
      chooseOpenPath: async () => openPath,
    };
    const weights = createDialogWeightsHandlers(host, dialogs);
    await host.request('reset', { config: { model: mlpSpec(12), seed: 3 } });

    savePath = join(dir, 'model.safetensors');
    expect(await weights.saveWeights({ includeOptimizer: false })).toEqual({ saved: true, name: savePath });
    expect(decodeWeightsFile(new Uint8Array(await readFile(savePath))).spec).toEqual(mlpSpec(12));
    savePath = join(dir, 'model.onnx');
    expect(await weights.exportWeights('onnx')).toEqual({ saved: true, name: savePath });
    expect(asked).toEqual(['Save weights|digitrain-12h-step0.safetensors|safetensors', 'Export ONNX model|digitrain-12h-step0.onnx|onnx']);
    savePath = null;
    expect(await weights.exportWeights('pytorch')).toEqual({ saved: false, name: null });
    expect((await readdir(dir)).sort()).toEqual(['model.onnx', 'model.safetensors']);
    // Without a folder dialog, the PyTorch export is saved as the zip of its folder.
    savePath = join(dir, 'mine.zip');
    expect(await weights.exportWeights('pytorch')).toEqual({ saved: true, name: savePath });
    expect(asked.at(-1)).toBe('Export weights for PyTorch|digitrain_12h_step0_pytorch.zip|zip');
    expect(Object.keys(unzipSync(new Uint8Array(await readFile(savePath))))).toContain('digitrain_12h_step0_pytorch/model.py');
    await rm(savePath);
    // With one (Electron's), it is written as the folder itself, inside the folder chosen.
    let chosen: string | null = null;
    const folders = createDialogWeightsHandlers(host, { ...dialogs, chooseDirectory: async () => chosen });
    expect(await folders.exportWeights('pytorch')).toEqual({ saved: false, name: null });
    chosen = dir;
    const folder = join(dir, 'digitrain_12h_step0_pytorch');
    expect(await folders.exportWeights('pytorch')).toEqual({ saved: true, name: folder });
    expect((await readdir(folder)).sort()).toEqual(['README.md', 'model.py', 'train.py', 'weights.safetensors']);
    expect(decodeWeightsFile(new Uint8Array(await readFile(join(folder, 'weights.safetensors')))).spec).toEqual(mlpSpec(12));
    await rm(folder, { recursive: true });

    await host.request('reset', { config: { model: mlpSpec(40) } });
    openPath = null;
    expect(await weights.loadWeights()).toEqual({ loaded: false, name: null, evaluation: null });
    openPath = join(dir, 'model.onnx');
    await expect(weights.loadWeights()).rejects.toThrow(/not a valid safetensors file/);
    expect((await host.request('getState', {})).config.model).toEqual(mlpSpec(40));
    openPath = join(dir, 'missing.safetensors');
    await expect(weights.loadWeights()).rejects.toThrow(/ENOENT/);
    openPath = join(dir, 'model.safetensors');
    expect((await weights.loadWeights()).name).toBe('model.safetensors');
    expect((await host.request('getState', {})).config.model).toEqual(mlpSpec(12));

    // A file the page already holds (e.g. dropped) is loaded without a dialog.
    openPath = null;
    await host.request('reset', { config: { model: mlpSpec(40) } });
    const bytes = new Uint8Array(await readFile(join(dir, 'model.safetensors')));
    expect((await weights.loadWeights({ name: 'dropped.safetensors', bytes })).name).toBe('dropped.safetensors');
    expect((await host.request('getState', {})).config.model).toEqual(mlpSpec(12));
  });
});

import { describe, expect, it } from 'vitest';
import { presetSpec } from '../../src/shared/model/presets';
import { validateModelSpec } from '../../src/shared/model/validateSpec';
import { changeLayerType, freshName, insertLayer, moveLayer, removeLayer, setLayerSetting } from '../../src/renderer/lib/specEdits';

const names = (spec: { layers: { name: string }[] }) => spec.layers.map((l) => l.name);

describe('spec edits', () => {
  it('two hidden layers from the default model: a linear layer and a ReLU before the output, each with its defaults', () => {
    const mlp = presetSpec('mlp');
    const deeper = insertLayer(insertLayer(mlp, 2, 'linear'), 3, 'relu');
    expect(names(deeper)).toEqual(['l1', 'act', 'linear1', 'relu1', 'l2']);
    expect(deeper.layers[2]).toEqual({ name: 'linear1', type: 'linear', out: 128, bias: true });
    expect(validateModelSpec(deeper)).toEqual(deeper);
    expect(names(mlp)).toEqual(['l1', 'act', 'l2']); // the old spec is untouched
  });

  it("new names take the first free number; pooling's stride defaults to its window", () => {
    const cnn = presetSpec('cnn');
    expect(freshName(cnn, 'conv2d')).toBe('conv3');
    expect(freshName(cnn, 'maxpool2d')).toBe('maxpool1');
    expect(insertLayer(cnn, 0, 'avgpool2d').layers[0]).toEqual({ name: 'avgpool1', type: 'avgpool2d', kernel: 2, stride: 2, padding: 0 });
  });

  it('moves, removes, and ignores a move out of range', () => {
    const mlp = presetSpec('mlp');
    expect(names(moveLayer(mlp, 2, 0))).toEqual(['l2', 'l1', 'act']);
    expect(names(moveLayer(mlp, 0, 9))).toEqual(['act', 'l2', 'l1']);
    expect(moveLayer(mlp, 1, 1)).toBe(mlp);
    expect(names(removeLayer(mlp, 1))).toEqual(['l1', 'l2']);
  });

  it('a setting outside its range changes nothing; another kind keeps the settings it shares', () => {
    const cnn = presetSpec('cnn');
    expect(setLayerSetting(cnn, 0, 'kernel', 99)).toBe(cnn);
    expect(setLayerSetting(cnn, 0, 'kernel', 3).layers[0]).toMatchObject({ kernel: 3 });
    expect(changeLayerType(cnn, 2, 'avgpool2d').layers[2]).toEqual({ name: 'pool1', type: 'avgpool2d', kernel: 2, stride: 2, padding: 0 });
    // Linear's 10 units fit a convolution's filters; its bias carries over too.
    expect(changeLayerType(cnn, 7, 'conv2d').layers[7]).toEqual({ name: 'fc', type: 'conv2d', out: 10, kernel: 5, stride: 1, padding: 0, bias: true });
  });
});

import { describe, expect, it } from 'vitest';
import { describeModel } from '../../src/shared/model/describe';
import { PRESET_NAMES, PRESETS, presetSpec } from '../../src/shared/model/presets';
import { DEFAULT_MODEL } from '../../src/shared/model/spec';
import { validateModelSpec } from '../../src/shared/model/validateSpec';

describe('presets', () => {
  it.each(PRESET_NAMES)('%s is a valid spec, given in its normalised form, with a description', (name) => {
    expect(validateModelSpec(presetSpec(name))).toEqual(presetSpec(name));
    expect(PRESETS[name].description.length).toBeGreaterThan(30);
  });

  it("mlp is the default model, and cnn is ConvNetJS's net: 256 features into the last layer", () => {
    expect(presetSpec('mlp')).toEqual(DEFAULT_MODEL);
    const cnn = describeModel(presetSpec('cnn'));
    expect(cnn.layers.map((l) => [l.layer.name, l.output])).toEqual([
      ['conv1', [8, 28, 28]],
      ['relu1', [8, 28, 28]],
      ['pool1', [8, 14, 14]],
      ['conv2', [16, 14, 14]],
      ['relu2', [16, 14, 14]],
      ['pool2', [16, 4, 4]],
      ['flatten', [256]],
      ['fc', [10]],
    ]);
    // The state-dict names and shapes of the fixture's PyTorch cnn (models.json).
    expect(cnn.state.map((t) => [t.name, t.shape])).toEqual([
      ['conv1.weight', [8, 1, 5, 5]],
      ['conv1.bias', [8]],
      ['conv2.weight', [16, 8, 5, 5]],
      ['conv2.bias', [16]],
      ['fc.weight', [10, 256]],
      ['fc.bias', [10]],
    ]);
  });

  it("a copy is the caller's to edit", () => {
    const spec = presetSpec('lenet');
    spec.layers.pop();
    expect(presetSpec('lenet').layers).toHaveLength(12);
  });
});

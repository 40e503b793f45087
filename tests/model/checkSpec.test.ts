// checkModelSpec (the editor's view of a spec) against validateModelSpec (what the Node side
// accepts): the same verdict and the first problem in the same words, for the presets, the
// problems a learner meets, and a few thousand specs made by random edits of the presets.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/data/rng';
import { checkModelSpec } from '../../src/shared/model/checkSpec';
import { describeModel } from '../../src/shared/model/describe';
import { LAYER_TYPES } from '../../src/shared/model/layerKinds';
import { PRESET_NAMES, presetSpec } from '../../src/shared/model/presets';
import type { ModelSpec } from '../../src/shared/model/spec';
import { MODEL_INPUTS, ModelSpecError, validateModelSpec } from '../../src/shared/model/validateSpec';
import { changeLayerType, insertLayer, moveLayer, removeLayer, renameLayer, setInput, setLayerSetting, settingsOf } from '../../src/renderer/lib/specEdits';

/** validateModelSpec's message for a spec it refuses, or null when it accepts it. */
function refusal(spec: ModelSpec): string | null {
  try {
    validateModelSpec(spec);
    return null;
  } catch (error) {
    if (error instanceof ModelSpecError) return error.message;
    throw error;
  }
}

describe('checkModelSpec', () => {
  it.each(PRESET_NAMES)('%s: no problem, and every layer as describeModel gives it', (name) => {
    const spec = presetSpec(name);
    const check = checkModelSpec(spec);
    expect(check.problem).toBeNull();
    expect(check.layers.map((l) => l.problem)).toEqual(spec.layers.map(() => null));
    const info = describeModel(spec);
    expect(check.layers.map((l) => l.info)).toEqual(info.layers);
    expect(check.paramCount).toBe(info.paramCount);
    expect(check.output).toEqual([10]);
  });

  it('a linear layer on an image without flatten: the reason at that layer, nothing known after it', () => {
    const spec = removeLayer(presetSpec('cnn'), 6); // the flatten
    const check = checkModelSpec(spec);
    const fc = check.layers[6];
    expect(fc.problem).toBe('a linear layer needs a flat vector of features, but its input has shape [16, 4, 4]: put a flatten layer before it');
    expect(fc.info).toBeNull();
    expect(check.layers.slice(0, 6).every((l) => l.problem === null && l.info !== null)).toBe(true);
    expect(check.output).toBeNull();
    expect(check.problem).toBe(`layer "fc" (linear): ${fc.problem}`);
    expect(check.problem).toBe(refusal(spec));
  });

  it('a kernel larger than its input', () => {
    const spec = setLayerSetting(presetSpec('cnn'), 3, 'kernel', 28); // conv2 on 8×14×14, padding 2
    const check = checkModelSpec(spec);
    expect(check.layers[3].problem).toBe('its 28×28 kernel is larger than its 14×14 input with padding 2');
    expect(check.problem).toBe(refusal(spec));
  });

  it("an output that is not the ten digits is the last layer's problem", () => {
    const spec = setLayerSetting(presetSpec('mlp'), 2, 'out', 12);
    const check = checkModelSpec(spec);
    expect(check.layers[2].problem).toMatch(/^the model must end with 10 outputs, one score per digit, but its last layer "l2" \(linear\) gives \[12\]$/);
    expect(check.layers[2].info?.output).toEqual([12]);
    expect(check.problem).toBe(refusal(spec));
  });

  it("a name used twice is the second layer's problem; the shapes are still worked out", () => {
    const spec = renameLayer(presetSpec('deep-mlp'), 2, 'fc1');
    const check = checkModelSpec(spec);
    expect(check.layers[0].problem).toBeNull();
    expect(check.layers[2].problem).toBe('the name is used twice; every layer needs its own');
    expect(check.layers[2].info?.paramCount).toBe(256 * 128 + 128);
    expect(check.problem).toBe(refusal(spec));
  });

  it("no layers, or too many parameters, is the model's problem", () => {
    const empty = { input: [784], layers: [] };
    expect(checkModelSpec(empty).modelProblem).toBe('a model needs a non-empty list of layers');
    expect(checkModelSpec(empty).problem).toBe(refusal(empty));
    const huge = setLayerSetting(setLayerSetting(presetSpec('deep-mlp'), 0, 'out', 4096), 2, 'out', 4096);
    expect(checkModelSpec(huge).modelProblem).toMatch(/parameters; Digitrain trains at most 10,000,000$/);
    expect(checkModelSpec(huge).layers.every((l) => l.problem === null)).toBe(true);
    expect(checkModelSpec(huge).problem).toBe(refusal(huge));
  });

  it('agrees with validateModelSpec on specs made by random edits of the presets', () => {
    const rng = new Rng(15);
    const pick = <T>(items: readonly T[]): T => items[rng.int(items.length)];
    let refused = 0;
    for (let trial = 0; trial < 3000; trial++) {
      let spec = presetSpec(pick(PRESET_NAMES));
      const edits = 1 + rng.int(4);
      for (let e = 0; e < edits; e++) {
        const n = spec.layers.length;
        const at = rng.int(Math.max(1, n));
        switch (rng.int(7)) {
          case 0:
            spec = insertLayer(spec, rng.int(n + 1), pick(LAYER_TYPES));
            break;
          case 1:
            spec = removeLayer(spec, at);
            break;
          case 2:
            spec = moveLayer(spec, at, rng.int(Math.max(1, n)));
            break;
          case 3:
            if (n > 0) spec = changeLayerType(spec, at, pick(LAYER_TYPES));
            break;
          case 4:
            if (n > 0) spec = renameLayer(spec, at, pick(['fc', 'conv1', 'relu1', 'optim', 'a b', '', 'x']));
            break;
          case 5:
            spec = setInput(spec, pick(MODEL_INPUTS));
            break;
          case 6: {
            if (n === 0) break;
            const settings = Object.entries(settingsOf(spec.layers[at].type));
            if (settings.length === 0) break;
            const [key, setting] = pick(settings);
            const value =
              setting.kind === 'bool'
                ? rng.int(2) === 1
                : setting.kind === 'int'
                  ? setting.min + rng.int(Math.min(40, setting.max - setting.min + 1))
                  : setting.min + ((setting.max - setting.min) * rng.int(1000)) / 1000;
            spec = setLayerSetting(spec, at, key, value);
          }
        }
      }
      const expected = refusal(spec);
      const check = checkModelSpec(spec);
      expect(check.problem, JSON.stringify(spec)).toBe(expected);
      if (expected !== null) {
        refused++;
        // A refused spec shows at least one problem where the learner can see it.
        expect(check.modelProblem !== null || check.layers.some((l) => l.problem !== null)).toBe(true);
      }
    }
    // Both verdicts are well represented, so the agreement means something.
    expect(refused).toBeGreaterThan(500);
    expect(refused).toBeLessThan(2500);
  });
});

// Issue 26, point 6: one rule for layer names, used by specs, the editor's check and requests
// that name a layer, and every name it allows works in the PyTorch export. Before: layers named
// forward, train or eval trained and exported, and the exported model failed in torch 1.13 with
// `KeyError: "attribute 'forward' already exists"`; a name starting with a digit was allowed by
// specs but refused by inspectUnit ("layer must be a layer's name").
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pytorchModelSource } from '../../src/main/model/pythonExport';
import { validateUnitQuery } from '../../src/shared/inspect';
import { checkModelSpec } from '../../src/shared/model/checkSpec';
import { isLayerName, TORCH_MODULE_ATTRIBUTES } from '../../src/shared/model/layerName';
import { ModelSpecError, validateModelSpec } from '../../src/shared/model/validateSpec';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/torch_names.json'), 'utf8')) as { torch: string; names: string[] };

const specNamed = (names: [string, string, string]) => ({
  input: [784],
  layers: [
    { name: names[0], type: 'linear', out: 16 },
    { name: names[1], type: 'relu' },
    { name: names[2], type: 'linear', out: 10 },
  ],
});

describe('the layer name rule', () => {
  it('reserves exactly the attributes torch 1.13 nn.Sequential has (made by tests/fixtures/make_torch_names.py)', () => {
    expect(fixture.torch).toMatch(/^1\.13/);
    expect([...TORCH_MODULE_ATTRIBUTES].sort()).toEqual(fixture.names);
    for (const name of ['forward', 'train', 'eval', 'training', 'append', '__init__']) expect(TORCH_MODULE_ATTRIBUTES.has(name)).toBe(true);
  });

  it('refuses forward, train and eval in a spec and in the editor, naming PyTorch', () => {
    for (const name of ['forward', 'train', 'eval']) {
      expect(() => validateModelSpec(specNamed(['l1', name, 'l2']))).toThrow(ModelSpecError);
      expect(() => validateModelSpec(specNamed(['l1', name, 'l2']))).toThrow(new RegExp(`"${name}": the name "${name}" is taken by PyTorch's nn.Module`));
      const problems = checkModelSpec(specNamed(['l1', name, 'l2']) as never);
      expect(JSON.stringify(problems)).toMatch(/taken by PyTorch/);
    }
  });

  it('a name starting with a digit is one rule everywhere: a spec takes it, and so does a request naming the layer', () => {
    expect(validateModelSpec(specNamed(['1', 'act', '2'])).layers.map((l) => l.name)).toEqual(['1', 'act', '2']);
    expect(validateUnitQuery({ layer: '1', unit: 0 })).toEqual({ layer: '1', unit: 0 });
    expect(isLayerName('1')).toBe(true);
    expect(() => validateUnitQuery({ layer: 'a b', unit: 0 })).toThrow(/layer must be a layer's name/);
    expect(() => validateUnitQuery({ layer: 'x'.repeat(65), unit: 0 })).toThrow(/layer must be a layer's name/);
  });

  it('every name the rule allows at its edges builds in torch 1.13 (digits first, capitals, underscores, 64 characters)', () => {
    const spec = validateModelSpec({
      input: [784],
      layers: [
        { name: '1', type: 'linear', out: 16 },
        { name: 'Train', type: 'relu' },
        { name: '_forward', type: 'linear', out: 12 },
        { name: 'evaluate', type: 'relu' },
        { name: 'x'.repeat(64), type: 'linear', out: 10 },
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), 'digitrain-names-'));
    try {
      const file = join(dir, 'model.py');
      writeFileSync(file, pytorchModelSource(spec));
      const out = execFileSync('/usr/bin/python3', ['-c', `import runpy; m = runpy.run_path(${JSON.stringify(file)})["build"](); print(",".join(n for n, _ in m.named_children()))`], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(out.trim()).toBe(spec.layers.map((l) => l.name).join(','));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

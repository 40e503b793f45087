// The editor's JSON export is the file `npm run train -- --arch FILE.json` reads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelFromOptions } from '../../src/main/cli/modelOption';
import { presetSpec } from '../../src/shared/model/presets';
import { MAX_SPEC_FILE_BYTES, parseSpecJson, specFileTooLarge, specJson } from '../../src/shared/model/specFile';
import { insertLayer } from '../../src/renderer/lib/specEdits';

describe('spec files', () => {
  const spec = insertLayer(insertLayer(presetSpec('lenet'), 9, 'dropout'), 3, 'batchnorm');

  it('one layer a line, read back as the same spec by the app and by --arch', async () => {
    const text = specJson(spec);
    expect(text.split('\n')).toHaveLength(spec.layers.length + 6);
    expect(parseSpecJson(text)).toEqual(spec);
    const file = join(mkdtempSync(join(tmpdir(), 'digitrain-spec-')), 'model.json');
    writeFileSync(file, text);
    await expect(modelFromOptions({ hidden: null, arch: file })).resolves.toEqual(spec);
  });

  it('refuses what is not a spec, saying why', () => {
    expect(() => parseSpecJson('{"input": [784], "layers": [')).toThrow(/^not valid JSON: /);
    expect(() => parseSpecJson(specJson({ ...spec, layers: spec.layers.filter((l) => l.type !== 'flatten') }))).toThrow(
      /^layer "fc1" \(linear\): a linear layer needs a flat vector of features, but its input has shape \[16, 5, 5\]: put a flatten layer before it$/,
    );
    expect(specFileTooLarge(MAX_SPEC_FILE_BYTES)).toBeNull();
    expect(specFileTooLarge(MAX_SPEC_FILE_BYTES + 1)).toMatch(/too large for a model description/);
  });
});

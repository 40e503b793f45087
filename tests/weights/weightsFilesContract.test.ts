// Validation of the byte-level weights messages where they enter the Node side.
import { describe, expect, it } from 'vitest';
import { MAX_WEIGHTS_FILE_BYTES, validateWeightsFileBytes } from '../../src/shared/weightsFiles';

describe('weights file messages', () => {
  it('accept a name and non-empty bytes up to the size cap', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(validateWeightsFileBytes('a.safetensors', bytes)).toEqual({ name: 'a.safetensors', bytes });
  });

  it('refuse a missing or overlong name, non-bytes, empty and oversized files with a clear message', () => {
    expect(() => validateWeightsFileBytes(undefined, new Uint8Array(1))).toThrow(/file name must be a string/);
    expect(() => validateWeightsFileBytes('x'.repeat(256), new Uint8Array(1))).toThrow(/at most 255 characters/);
    expect(() => validateWeightsFileBytes('a', [1, 2, 3])).toThrow(/must be bytes/);
    expect(() => validateWeightsFileBytes('a', 'AAAA')).toThrow(/must be bytes/);
    expect(() => validateWeightsFileBytes('empty.bin', new Uint8Array(0))).toThrow(/"empty.bin" is empty/);
    expect(() => validateWeightsFileBytes('huge.bin', new Uint8Array(MAX_WEIGHTS_FILE_BYTES + 1))).toThrow(/"huge.bin" is 64.0 MB; weights files are at most 64 MB/);
  });
});

describe('loadWeights request validation', () => {
  it('takes no argument (a dialog picks the file) or one uploaded file', async () => {
    const { validateRequest } = await import('../../src/shared/validate');
    expect(validateRequest('loadWeights', []).args).toEqual([]);
    const file = { name: 'm.safetensors', bytes: new Uint8Array(8) };
    expect(validateRequest('loadWeights', [file]).args).toEqual([file]);
    expect(() => validateRequest('loadWeights', ['m.safetensors'])).toThrow(/loadWeights: a weights file must be \{ name, bytes \}/);
    expect(() => validateRequest('loadWeights', [{ name: 'm', bytes: [1, 2] }])).toThrow(/loadWeights: file contents must be bytes/);
  });
});

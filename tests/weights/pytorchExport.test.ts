// PyTorch is not installed here, so the export is checked against what PyTorch itself wrote:
// tests/fixtures/anet-seed0-init.safetensors is ANet's state_dict saved by safetensors.torch.
// Same names, order, dtype, shapes and offsets, and byte-identical data, means
// `ANet().load_state_dict(load_file(path))` takes the export exactly as it takes the fixture.
import { describe, expect, it } from 'vitest';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodePytorchExport } from '../../src/main/weights/encode';
import { fixtureBytes, makeParams, splitSafetensors } from './helpers';

type Header = Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & { __metadata__?: Record<string, string> };

describe('export for PyTorch', () => {
  const fixture = fixtureBytes('anet-seed0-init.safetensors');

  it('reads a file PyTorch wrote (no Digitrain metadata): architecture inferred from the shapes', () => {
    const loaded = decodeWeightsFile(fixture);
    expect(loaded.hidden).toBe(128);
    expect(loaded.metadata.isDigitrain).toBe(false);
    expect(loaded.optimizer).toBeNull();
  });

  it('has exactly the tensor entries, order and data bytes of the PyTorch-written fixture', () => {
    const params = decodeWeightsFile(fixture).params;
    const exported = encodePytorchExport(params);
    const ours = splitSafetensors(exported);
    const theirs = splitSafetensors(fixture);
    const ourHeader = JSON.parse(ours.header) as Header;
    const theirHeader = JSON.parse(theirs.header) as Header;
    const tensorsOf = (h: Header) => Object.entries(h).filter(([name]) => name !== '__metadata__');
    expect(tensorsOf(ourHeader)).toEqual(tensorsOf(theirHeader));
    expect(Object.keys(ourHeader)).toEqual(['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias', '__metadata__']);
    expect(ourHeader.__metadata__).toEqual({ format: 'pt' });
    expect(ours.headerLength % 8).toBe(0);
    expect(Buffer.from(ours.data).equals(Buffer.from(theirs.data))).toBe(true);
    expect(exported.length).toBe(8 + ours.headerLength + 407080);
  });

  it('holds weights only (no optimizer state, nothing load_state_dict would call unexpected) for any hidden size', () => {
    const exported = encodePytorchExport(makeParams(32));
    const header = JSON.parse(splitSafetensors(exported).header) as Header;
    expect(Object.keys(header).filter((k) => k !== '__metadata__')).toEqual(['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias']);
    expect(header['l1.weight']).toEqual({ dtype: 'F32', shape: [32, 784], data_offsets: [0, 32 * 784 * 4] });
    expect(decodeWeightsFile(exported).hidden).toBe(32);
  });
});

// PyTorch is not installed here, so the export is checked against what PyTorch itself wrote:
// tests/fixtures/anet-seed0-init.safetensors is ANet's state_dict saved by safetensors.torch.
// Same names, order, dtype, shapes and offsets, and byte-identical data, means
// `ANet().load_state_dict(load_file(path))` takes the export exactly as it takes the fixture.
import { describe, expect, it } from 'vitest';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodePytorchExport } from '../../src/main/weights/encode';
import { mlpSpec } from '../../src/shared/model/spec';
import { DEEP_SPEC, fixtureBytes, makeParams, splitSafetensors } from './helpers';

type Header = Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & { __metadata__?: Record<string, string> };

describe('export for PyTorch', () => {
  const fixture = fixtureBytes('anet-seed0-init.safetensors');

  it("reads a file PyTorch wrote (no Digitrain metadata): the seed's MLP, its width inferred from the shapes", () => {
    const loaded = decodeWeightsFile(fixture);
    expect(loaded.spec).toEqual(mlpSpec(128));
    expect(loaded.metadata.isDigitrain).toBe(false);
    expect(loaded.optimizer).toBeNull();
  });

  it('has exactly the tensor entries, order and data bytes of the PyTorch-written fixture', () => {
    const { spec, tensors } = decodeWeightsFile(fixture);
    const exported = encodePytorchExport(spec, tensors);
    const ours = splitSafetensors(exported);
    const theirs = splitSafetensors(fixture);
    const ourHeader = JSON.parse(ours.header) as Header;
    const theirHeader = JSON.parse(theirs.header) as Header;
    const tensorsOf = (h: Header) => Object.entries(h).filter(([name]) => name !== '__metadata__');
    expect(tensorsOf(ourHeader)).toEqual(tensorsOf(theirHeader));
    expect(Object.keys(ourHeader)).toEqual(['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias', '__metadata__']);
    // save_file's {"format":"pt"}, and the spec, so Digitrain reads the file back.
    expect(ourHeader.__metadata__).toEqual({ format: 'pt', model: JSON.stringify(spec) });
    expect(ours.headerLength % 8).toBe(0);
    expect(Buffer.from(ours.data).equals(Buffer.from(theirs.data))).toBe(true);
    expect(exported.length).toBe(8 + ours.headerLength + 407080);
  });

  it('holds weights only (no optimizer state, nothing load_state_dict would call unexpected) for any hidden size', () => {
    const exported = encodePytorchExport(mlpSpec(32), makeParams(32));
    const header = JSON.parse(splitSafetensors(exported).header) as Header;
    expect(Object.keys(header).filter((k) => k !== '__metadata__')).toEqual(['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias']);
    expect(header['l1.weight']).toEqual({ dtype: 'F32', shape: [32, 784], data_offsets: [0, 32 * 784 * 4] });
    expect(decodeWeightsFile(exported).spec).toEqual(mlpSpec(32));
  });

  it("names any spec's tensors as nn.Sequential(OrderedDict(...)) built from it names them, with its shapes", () => {
    // nn.Sequential(OrderedDict([('fc1', nn.Linear(784, 24)), ('a1', nn.ReLU()), ('fc2', nn.Linear(24, 12)),
    //   ('a2', nn.ReLU()), ('fc3', nn.Linear(12, 10, bias=False))])).state_dict(), in order:
    const expected = [
      ['fc1.weight', [24, 784]],
      ['fc1.bias', [24]],
      ['fc2.weight', [12, 24]],
      ['fc2.bias', [12]],
      ['fc3.weight', [10, 12]],
    ];
    const header = JSON.parse(splitSafetensors(encodePytorchExport(DEEP_SPEC, makeParams(DEEP_SPEC))).header) as Header;
    expect(
      Object.entries(header)
        .filter(([k]) => k !== '__metadata__')
        .map(([name, t]) => [name, t.shape]),
    ).toEqual(expected);
  });
});

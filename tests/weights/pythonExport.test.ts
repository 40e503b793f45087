// The PyTorch export's model.py: one torch.nn module per layer, in the spec's order and with its
// names, so load_state_dict takes the exported file (checked with PyTorch itself by
// tests/weights/pytorch/checkExport.ts, which needs python3-torch and is not part of CI).
import { describe, expect, it } from 'vitest';
import { pytorchModelSource } from '../../src/main/model/pythonExport';
import { PRESET_NAMES, presetSpec } from '../../src/shared/model/presets';
import type { ModelSpec } from '../../src/shared/model/spec';

describe('model.py', () => {
  it("builds the cnn preset as nn.Sequential(OrderedDict(...)) with PyTorch's arguments", () => {
    const source = pytorchModelSource(presetSpec('cnn'));
    expect(source).toContain(`        ("conv1", nn.Conv2d(1, 8, kernel_size=5, stride=1, padding=2, bias=True)),
        ("relu1", nn.ReLU()),
        ("pool1", nn.MaxPool2d(kernel_size=2, stride=2, padding=0)),
        ("conv2", nn.Conv2d(8, 16, kernel_size=5, stride=1, padding=2, bias=True)),
        ("relu2", nn.ReLU()),
        ("pool2", nn.MaxPool2d(kernel_size=3, stride=3, padding=0)),
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(256, 10, bias=True)),`);
    expect(source).toContain('INPUT_SHAPE = (1, 28, 28)');
    expect(source).toContain('WEIGHTS = Path(__file__).resolve().parent / "weights.safetensors"');
    expect(source).toContain('def build():');
  });

  it("writes every layer kind's settings, batch norm by the shape it sees, and the flat input as a tuple", () => {
    const spec: ModelSpec = {
      input: [784],
      layers: [
        { name: 'fc1', type: 'linear', out: 32, bias: false },
        { name: 'bn', type: 'batchnorm', momentum: 0.2, eps: 1e-5 },
        { name: 'act', type: 'leakyrelu', negativeSlope: 0.05 },
        { name: 'drop', type: 'dropout', p: 0.25 },
        { name: 'fc2', type: 'linear', out: 10, bias: true },
      ],
    };
    const source = pytorchModelSource(spec);
    expect(source).toContain('("fc1", nn.Linear(784, 32, bias=False)),');
    expect(source).toContain('("bn", nn.BatchNorm1d(32, eps=0.00001, momentum=0.2)),');
    expect(source).toContain('("act", nn.LeakyReLU(negative_slope=0.05)),');
    expect(source).toContain('("drop", nn.Dropout(p=0.25)),');
    expect(source).toContain('INPUT_SHAPE = (784,)');
  });

  it.each(PRESET_NAMES)('%s: the spec travels in the file as JSON Python can read back', (name) => {
    const line = pytorchModelSource(presetSpec(name))
      .split('\n')
      .find((l) => l.startsWith('SPEC = json.loads('))!;
    const literal = line.slice('SPEC = json.loads('.length, -1);
    expect(JSON.parse(JSON.parse(literal))).toEqual(presetSpec(name));
  });
});

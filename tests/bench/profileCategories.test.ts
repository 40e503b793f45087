// PyTorch's side of `npm run bench -- --profile` and `--torch`: every event PyTorch 1.13's
// profiler reports for the presets' training steps has a row (fixtures/torchProfilePaths.json,
// written by fixtures/makeTorchProfilePaths.ts from real profiles), the rows follow the
// nesting (PyTorch's mm is the linear layer's backward under its autograd node), and the net
// PyTorch trains is ours: the same parameters, names and shapes, built from the spec by the
// PyTorch export's code.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { knownTorchName, PROFILE_ROWS, torchCategory } from '../../bench/profileCategories';
import { torchSteps } from '../../bench/profileBench';
import { parameterMismatch, TORCH_PYTHON, TorchSide, torchModel } from '../../bench/torchBench';
import { describeModel } from '../../src/shared/model/describe';
import { PRESET_NAMES, presetSpec } from '../../src/shared/model/presets';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torchProfilePaths.json', import.meta.url), 'utf8')) as { presets: string[]; paths: string[][] };

test('the fixture was made from every preset', () => {
  expect([...fixture.presets].sort()).toEqual([...PRESET_NAMES].sort());
});

test("every event name in PyTorch's profiles of the presets' steps is known to the rows", () => {
  const unknown = new Set(fixture.paths.flat().filter((name) => !knownTorchName(name)));
  expect([...unknown]).toEqual([]);
});

test('every event lands in a row, and the ops of each layer kind of the presets land in their own', () => {
  const rows = new Set<string>(PROFILE_ROWS.map((r) => r.id));
  const seen = new Set(fixture.paths.map((path) => torchCategory(path)));
  for (const category of seen) expect(rows).toContain(category);
  for (const category of [
    'conv.forward.whole',
    'conv.backward.whole',
    'pool.forward',
    'pool.backward',
    'relu.forward',
    'relu.backward',
    'dropout',
    'linear.forward',
    'linear.backward',
    'loss',
    'optimizer',
    'zero',
    'batch',
    'autograd',
  ]) {
    expect(seen).toContain(category);
  }
});

test('rows follow the nesting: phases claim what runs inside them, else the nearest op with a row', () => {
  const evaluate = (node: string) => `autograd::engine::evaluate_function: ${node}`;
  expect(torchCategory(['digitrain::forward', 'aten::conv2d', 'aten::convolution', 'aten::_convolution', 'aten::mkldnn_convolution', 'aten::empty'])).toBe('conv.forward.whole');
  expect(torchCategory(['digitrain::backward', evaluate('AddmmBackward0'), 'AddmmBackward0', 'aten::mm'])).toBe('linear.backward');
  expect(torchCategory(['digitrain::forward', 'aten::linear', 'aten::addmm'])).toBe('linear.forward');
  // The autograd engine's wrapper is autograd's own time; its node's op is the layer's.
  expect(torchCategory(['digitrain::backward', evaluate('ReluBackward0')])).toBe('autograd');
  expect(torchCategory(['digitrain::backward', evaluate('ReluBackward0'), 'aten::threshold_backward'])).toBe('relu.backward');
  // Zero fills are their own row wherever they run, except inside a phase that claims everything.
  expect(torchCategory(['digitrain::backward', evaluate('MaxPool2DWithIndicesBackward0'), 'aten::max_pool2d_with_indices_backward', 'aten::zero_'])).toBe('zero');
  expect(torchCategory(['digitrain::batch', 'aten::to', 'aten::_to_copy', 'aten::copy_'])).toBe('batch');
  expect(torchCategory(['digitrain::optimizer', 'Optimizer.step#Adam.step', 'aten::addcdiv_'])).toBe('optimizer');
  expect(torchCategory(['digitrain::zero_grad', 'Optimizer.zero_grad#Adam.zero_grad', 'aten::zero_'])).toBe('zero');
  expect(torchCategory(['digitrain::forward', 'aten::flatten', 'aten::_reshape_alias'])).toBe('other');
  // A name nobody knows is other, and reported.
  expect(torchCategory(['digitrain::forward', 'aten::some_new_op'])).toBe('other');
  expect(knownTorchName('aten::some_new_op')).toBe(false);
});

test("a PyTorch step's rows add its events' self times, the rest of its wall time to other, and report unknown names", () => {
  const unknown = new Set<string>();
  const [rows] = torchSteps(
    [
      {
        wallMs: 10,
        ops: [
          [['digitrain::forward', 'aten::conv2d'], 1],
          [['digitrain::forward', 'aten::conv2d', 'aten::convolution', 'aten::_convolution', 'aten::mkldnn_convolution'], 3],
          [['digitrain::forward', 'aten::mystery'], 0.5],
          [['digitrain::optimizer'], 2],
        ],
      },
    ],
    unknown,
  );
  expect(Object.fromEntries(rows)).toEqual({ 'conv.forward.whole': 4, other: 0.5 + (10 - 6.5), optimizer: 2 });
  expect([...unknown]).toEqual(['aten::mystery']);
});

test('a different net is refused by the parameter check, naming both', () => {
  const spec = presetSpec('cnn');
  const ours = describeModel(spec).params.map((p) => [p.name, p.shape] as [string, number[]]);
  expect(parameterMismatch(spec, ours)).toBeNull();
  const wrong = ours.map(([name, shape], i) => [name, i === 0 ? [shape[0] + 1, ...shape.slice(1)] : shape] as [string, number[]]);
  expect(parameterMismatch(spec, wrong)).toMatch(/conv1\.weight \[8, 1, 5, 5\].*conv1\.weight \[9, 1, 5, 5\]/);
  expect(parameterMismatch(spec, ours.slice(1))).not.toBeNull();
});

const hasTorch = spawnSync(TORCH_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.log(`skipped the PyTorch net's parameters: ${TORCH_PYTHON} cannot import torch (apt-get install python3-torch)`);

describe.skipIf(!hasTorch)("PyTorch's net, as the bench builds it from the spec", () => {
  let torch: TorchSide;
  beforeAll(async () => {
    torch = await TorchSide.start([1]);
  });
  afterAll(() => torch?.close());

  test.each(PRESET_NAMES)('%s: the same parameters as ours, names and shapes in order', async (name) => {
    const spec = presetSpec(name);
    const theirs = await torch.parameters(torchModel(spec));
    expect(parameterMismatch(spec, theirs)).toBeNull();
    const count = theirs.reduce((sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1), 0);
    expect(count).toBe(describeModel(spec).paramCount);
  });
});

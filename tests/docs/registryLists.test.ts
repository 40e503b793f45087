// The lists of layer kinds, presets and optimizers that README.md, src/engine/README.md and
// docs/DESIGN.md spell out for a reader, each compared with the registry it describes: a kind
// or an optimizer added by the recipes in docs/DESIGN.md and not named there fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng, Tensor } from '../../src/engine';
import { LAYER_MODULES } from '../../src/main/model/layerModules';
import { createOptimizer } from '../../src/main/training/optimizers';
import { LAYER_KINDS, LAYER_TYPES, type LayerSpec, type LayerType } from '../../src/shared/model/layerKinds';
import { PRESET_NAMES } from '../../src/shared/model/presets';
import { OPTIMIZER_NAMES, OPTIMIZERS } from '../../src/shared/optimizers';
import { validateOptimizerConfig } from '../../src/shared/validate';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const README = read('README.md');
const ENGINE_README = read('src/engine/README.md');
const DESIGN = read('docs/DESIGN.md');

/** The text from `start` up to the next `end`. */
function passage(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  expect(from, `"${start}"`).toBeGreaterThanOrEqual(0);
  const to = text.indexOf(end, from + start.length);
  expect(to, `"${end}" after "${start}"`).toBeGreaterThan(from);
  return text.slice(from, to);
}

/** Everything written as `code` in `text`. */
const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

const names = (text: string, wanted: readonly string[]) => wanted.filter((name) => new RegExp(`\\b${name}\\b`).test(text));

/** The engine classes the registered layer kinds are built as (batch norm is two: vectors and images). */
function moduleClasses(): string[] {
  const classes = new Set<string>();
  for (const type of LAYER_TYPES) {
    const layer = Object.fromEntries([['name', type], ['type', type], ...Object.entries(LAYER_KINDS[type].settings).map(([key, s]) => [key, s.default])]) as unknown as LayerSpec;
    for (const input of [[784], [1, 28, 28]]) {
      const build = LAYER_MODULES[type as LayerType] as (l: LayerSpec, input: number[], rng: Rng) => object;
      classes.add(build(layer, input, new Rng(1)).constructor.name);
    }
  }
  return [...classes];
}

/** The engine classes the registered optimizers are built as. */
const optimizerClasses = () => OPTIMIZER_NAMES.map((type) => createOptimizer([Tensor.zeros([1], { requiresGrad: true })], validateOptimizerConfig({ type })).constructor.name);

describe('README.md', () => {
  it('lists every registered layer type, and nothing else, as the layer types', () => {
    expect(codeSpans(passage(README, 'Layer types:', 'each with PyTorch')).sort()).toEqual([...LAYER_TYPES].sort());
  });

  it('lists every preset, each with a word on what it is', () => {
    const presets = [...passage(README, 'presets are ready:', '. A model is checked').matchAll(/`([\w-]+)` \(/g)].map((m) => m[1]);
    expect(presets.sort()).toEqual([...PRESET_NAMES].sort());
  });

  it('names every registered optimizer', () => {
    const list = passage(README, 'optimizers are', 'each with weight decay');
    for (const type of OPTIMIZER_NAMES) expect(list, type).toContain(OPTIMIZERS[type].label);
  });
});

describe('src/engine/README.md', () => {
  it('names every module class a registered layer kind is built as in the nn/ list', () => {
    const classes = moduleClasses();
    expect(classes.length).toBeGreaterThanOrEqual(LAYER_TYPES.length);
    expect(names(passage(ENGINE_README, '- `nn/`', '\n- '), classes)).toEqual(classes);
  });

  it('names every optimizer class in the optim/ list', () => {
    const classes = optimizerClasses();
    expect(names(passage(ENGINE_README, '- `optim/`', '\n- '), classes)).toEqual(classes);
  });
});

describe('docs/DESIGN.md', () => {
  it("names every optimizer class in the engine's optim/ line", () => {
    const classes = optimizerClasses();
    expect(names(passage(DESIGN, '    optim/ ', '\n'), classes)).toEqual(classes);
  });
});

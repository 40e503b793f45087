// Manual check that PyTorch's load_state_dict takes Digitrain's "Export for PyTorch" unchanged
// (needs a Python with torch, e.g. Debian's python3-torch; not run in CI):
//   npx tsx tests/weights/pytorch/checkExport.ts [/usr/bin/python3]
// Trains two models for 200 steps each — the seed's MLP, loaded into the seed's own ANet class,
// and a three-layer MLP with other names, loaded into nn.Sequential(OrderedDict(...)) built from
// its spec — exports them, loads them in Python (strict), and compares PyTorch's logits on 100
// real MNIST test images with the engine's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatherBatch } from '../../../src/engine/data/batch';
import { noGrad } from '../../../src/engine';
import { loadMnist, mnistDataDirectory } from '../../../src/main/data/loadMnist';
import { Trainer } from '../../../src/main/training/trainer';
import { encodePytorchExport } from '../../../src/main/weights/encode';
import { defaultConfig } from '../../../src/shared/contract';
import type { ModelSpec } from '../../../src/shared/model/spec';

const IMAGES = 100;
const python = process.argv[2] ?? '/usr/bin/python3';
const data = loadMnist();
const DEEP: ModelSpec = {
  input: [784],
  layers: [
    { name: 'fc1', type: 'linear', out: 256, bias: true },
    { name: 'a1', type: 'relu' },
    { name: 'fc2', type: 'linear', out: 64, bias: true },
    { name: 'a2', type: 'relu' },
    { name: 'fc3', type: 'linear', out: 10, bias: true },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'digitrain-pytorch-'));
let allOk = true;
try {
  for (const [label, spec] of [
    ['seed ANet', null],
    ['nn.Sequential from the spec', DEEP],
  ] as const) {
    const trainer = new Trainer(data, spec ? { ...defaultConfig(), model: spec } : defaultConfig());
    for (let i = 0; i < 200; i++) trainer.trainStep();
    const path = join(dir, 'digitrain-pytorch.safetensors');
    writeFileSync(path, encodePytorchExport(trainer.config.model, trainer.weights()));
    const args = [fileURLToPath(new URL('./load_state_dict.py', import.meta.url)), path, join(mnistDataDirectory(), 't10k-images-idx3-ubyte'), String(IMAGES)];
    if (spec) {
      const specPath = join(dir, 'spec.json');
      writeFileSync(specPath, JSON.stringify(spec));
      args.push(specPath);
    }
    const out = JSON.parse(execFileSync(python, args, { encoding: 'utf8' })) as { torch: string; missing: string[]; unexpected: string[]; logits: number[] };
    const x = gatherBatch(
      data.test,
      Array.from({ length: IMAGES }, (_, i) => i),
    ).x;
    const ours = noGrad(() => trainer.model.forward(x)).data;
    let maxDiff = 0;
    for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - out.logits[i]));
    const ok = out.missing.length === 0 && out.unexpected.length === 0 && out.logits.length === ours.length && maxDiff < 1e-5;
    allOk &&= ok;
    console.log(JSON.stringify({ model: label, torch: out.torch, missing: out.missing, unexpected: out.unexpected, images: IMAGES, maxAbsDiff: maxDiff, ok }));
  }
  process.exitCode = allOk ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

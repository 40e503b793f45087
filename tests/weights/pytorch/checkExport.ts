// Manual check that PyTorch's load_state_dict takes Digitrain's "Export for PyTorch" unchanged
// (needs a Python with torch, e.g. Debian's python3-torch; not run in CI):
//   npx tsx tests/weights/pytorch/checkExport.ts [/usr/bin/python3]
// Trains the reference MLP for 200 steps, exports it, loads it into ANet in Python, and
// compares PyTorch's logits on 100 real MNIST test images with the engine's.
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
import { DEFAULT_CONFIG } from '../../../src/shared/contract';

const IMAGES = 100;
const python = process.argv[2] ?? '/usr/bin/python3';
const data = loadMnist();
const trainer = new Trainer(data, { ...DEFAULT_CONFIG });
for (let i = 0; i < 200; i++) trainer.trainStep();

const dir = mkdtempSync(join(tmpdir(), 'digitrain-pytorch-'));
try {
  const path = join(dir, 'digitrain-pytorch.safetensors');
  writeFileSync(path, encodePytorchExport(trainer.model.stateDict()));
  const script = fileURLToPath(new URL('./load_state_dict.py', import.meta.url));
  const images = join(mnistDataDirectory(), 't10k-images-idx3-ubyte');
  const out = JSON.parse(execFileSync(python, [script, path, images, String(IMAGES)], { encoding: 'utf8' })) as {
    torch: string;
    missing: string[];
    unexpected: string[];
    logits: number[];
  };
  const x = gatherBatch(data.test, Array.from({ length: IMAGES }, (_, i) => i)).x;
  const ours = noGrad(() => trainer.model.forward(x)).data;
  let maxDiff = 0;
  for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - out.logits[i]));
  const ok = out.missing.length === 0 && out.unexpected.length === 0 && out.logits.length === ours.length && maxDiff < 1e-5;
  console.log(JSON.stringify({ torch: out.torch, missing: out.missing, unexpected: out.unexpected, images: IMAGES, maxAbsDiff: maxDiff, ok }));
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Out of the app and back, through PyTorch itself (/usr/bin/python3 with torch; .ci/run installs
// Debian's python3-torch): every preset is trained from the CLI, exported with `npm run export`
// (its command, in this process), its model.py imported from the folder, weights.safetensors
// loaded strictly, and PyTorch's logits compared with Digitrain's. Then the exported train.py
// trains 200 steps in one process and as 2 ranks (gloo, ranks started as torchrun would, on
// loopback), and `npm run evaluate` gives each output the accuracy PyTorch computed for it.
import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng, noGrad } from '../../src/engine';
import { gatherBatch } from '../../src/engine/data/batch';
import { sliceMnist } from '../../src/engine/data/mnist';
import { runEvaluateCommand } from '../../src/main/cli/evaluateCommand';
import { runExportCommand } from '../../src/main/cli/exportCommand';
import { runTrainCommand } from '../../src/main/cli/trainCommand';
import { loadMnist, type MnistData } from '../../src/main/data/loadMnist';
import { SpecModel } from '../../src/main/model/specModel';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { loadedStateDict } from '../../src/main/weights/stateDict';
import { planRestore } from '../../src/main/weights/weightsCommands';
import { defaultConfig } from '../../src/shared/contract';
import { PRESET_NAMES, presetSpec } from '../../src/shared/model/presets';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.log(`skipped the PyTorch round trip: ${PYTHON} cannot import torch and numpy (apt-get install python3-torch python3-numpy)`);

const STEPS = 200;
/** train.py's data: a slice of MNIST (each Python process reads and converts it; the whole set costs seconds each). */
const TRAIN_IMAGES = 12_000;
const TEST_IMAGES = 2_000;

/** An IDX file: magic (type and rank), the sizes, the bytes. */
function idx(magic: number, dims: number[], bytes: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, bytes]);
}
/** Logits compared on these many test images (every preset, every class). */
const IMAGES = 200;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t), isTTY: false } } };
}

function python(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<string> {
  // Without WORLD_SIZE and friends from the caller's environment: one process unless the test says so.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['WORLD_SIZE', 'RANK', 'LOCAL_RANK', 'MASTER_ADDR', 'MASTER_PORT'].includes(k)));
  return new Promise((resolve, reject) =>
    execFile(PYTHON, args, { env: { ...base, OMP_NUM_THREADS: '1', ...env }, cwd, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${args.join(' ')} failed: ${stderr}`)) : resolve(stdout),
    ),
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The last line of stdout, as JSON. */
const lastJson = <T>(text: string): T => JSON.parse(text.trim().split('\n').at(-1) as string) as T;

describe.skipIf(!hasTorch)('PyTorch export and train.py, round trip', () => {
  let dir: string;
  let data: MnistData;
  /** MNIST's first TRAIN_IMAGES training and TEST_IMAGES test images, as IDX files (train.py's --data). */
  let mnistDir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digitrain-roundtrip-'));
    const full = loadMnist();
    // Training on all of MNIST; the end-of-run evaluation on a slice (its result is not what is tested here).
    data = { train: full.train, test: sliceMnist(full.test, 0, 500) };
    mnistDir = join(dir, 'mnist');
    await mkdir(mnistDir);
    for (const [prefix, set, count] of [
      ['train', full.train, TRAIN_IMAGES],
      ['t10k', full.test, TEST_IMAGES],
    ] as const) {
      await writeFile(join(mnistDir, `${prefix}-images-idx3-ubyte`), idx(0x803, [count, 28, 28], set.images.subarray(0, count * 784)));
      await writeFile(join(mnistDir, `${prefix}-labels-idx1-ubyte`), idx(0x801, [count], set.labels.subarray(0, count)));
    }
    for (const name of PRESET_NAMES) {
      const file = join(dir, `${name}.safetensors`);
      const train = capture();
      const code = await runTrainCommand(['--arch', name, '--steps', String(STEPS), '--seed', '3', '--out', file, '--threads', '1'], { ...train.io, loadData: () => data });
      expect(code, train.err.join('')).toBe(0);
      const exported = capture();
      expect(await runExportCommand(['--weights', file, '--pytorch', join(dir, name)], exported.io), exported.err.join('')).toBe(0);
    }
  }, 600_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every preset: model.py imports, build() is nn.Sequential of torch.nn layers, weights.safetensors loads strictly, logits within 1e-4', async () => {
    const script = join(dir, 'logits.py');
    await writeFile(
      script,
      `import json, sys
import torch
images_file, images, folders = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
out = []
for folder in folders:
    sys.path.insert(0, folder)
    sys.modules.pop("model", None)
    import model  # the folder's own model.py
    from model import build, load_safetensors
    sys.path.pop(0)
    net = build()
    net.load_state_dict(load_safetensors(folder + "/weights.safetensors"), strict=True)
    net.eval()
    x = model.read_idx(images_file)[:images].float().div(255).reshape(-1, *model.INPUT_SHAPE)
    with torch.no_grad():
        logits = net(x)
    out.append({
        "sequential": type(net) is torch.nn.Sequential,
        "classes": sorted({type(m).__module__.split(".")[0] + ":" + type(m).__name__ for m in net.children()}),
        "names": [n for n, _ in net.named_children()],
        "logits": logits.reshape(-1).tolist(),
    })
print(json.dumps(out))
`,
    );
    const full = loadMnist().test;
    const x = gatherBatch(
      full,
      Array.from({ length: IMAGES }, (_, i) => i),
    ).x;
    const answers = JSON.parse(await python([script, join(mnistDir, 't10k-images-idx3-ubyte'), String(IMAGES), ...PRESET_NAMES.map((name) => join(dir, name))])) as {
      sequential: boolean;
      classes: string[];
      names: string[];
      logits: number[];
    }[];
    for (const [i, name] of PRESET_NAMES.entries()) {
      const theirs = answers[i];
      expect(theirs.sequential).toBe(true);
      for (const c of theirs.classes) expect(c).toMatch(/^torch:/);
      expect(theirs.names).toEqual(presetSpec(name).layers.map((l) => l.name));
      const loaded = decodeWeightsFile(new Uint8Array(await readFile(join(dir, `${name}.safetensors`))));
      const model = new SpecModel(loaded.spec, new Rng(0));
      model.loadStateDict(loadedStateDict(loaded));
      model.eval();
      const ours = noGrad(() => model.forward(x)).toArray();
      expect(theirs.logits.length).toBe(ours.length);
      let worst = 0;
      for (let j = 0; j < ours.length; j++) worst = Math.max(worst, Math.abs(ours[j] - theirs.logits[j]));
      expect(worst, `${name}: largest logit difference`).toBeLessThan(1e-4);
      // And the exported weights read back into Digitrain with the preset's spec.
      const back = decodeWeightsFile(new Uint8Array(await readFile(join(dir, name, 'weights.safetensors'))));
      expect(back.spec).toEqual(presetSpec(name));
    }
  }, 600_000);

  it('train.py trains 200 steps in one process and as 2 ranks (gloo); each file loads back and evaluates to the accuracy PyTorch computed', async () => {
    const folder = join(dir, 'cnn');
    const start = join(dir, 'cnn.safetensors'); // Digitrain's own file, optimizer state and all: --resume takes its weights
    const one = join(dir, 'one.safetensors');
    const two = join(dir, 'two.safetensors');
    const common = ['train.py', '--steps', String(STEPS), '--resume', start, '--data', mnistDir];
    const single = lastJson<{ testAccuracy: number; testLoss: number; world: number }>(await python([...common, '--out', one], {}, folder));
    const port = String(await freePort());
    const ranks = await Promise.all(
      [0, 1].map((rank) => python([...common, '--out', two], { WORLD_SIZE: '2', RANK: String(rank), LOCAL_RANK: String(rank), MASTER_ADDR: '127.0.0.1', MASTER_PORT: port }, folder)),
    );
    expect(ranks[1].trim(), 'only rank 0 prints').toBe('');
    const double = lastJson<{ testAccuracy: number; testLoss: number; world: number }>(ranks[0]);
    expect([single.world, double.world]).toEqual([1, 2]);
    for (const [file, torch] of [
      [one, single],
      [two, double],
    ] as const) {
      const run = capture();
      expect(await runEvaluateCommand(['--weights', file, '--images', String(TEST_IMAGES)], { ...run.io, loadData: loadMnist }), run.err.join('')).toBe(0);
      const ours = lastJson<{ testAccuracy: number; testLoss: number; images: number }>(run.out.join(''));
      expect(ours.images).toBe(TEST_IMAGES);
      expect(ours.testAccuracy).toBe(torch.testAccuracy);
      // Mean cross-entropy of the test images in float32 (PyTorch) and the engine's sums: agree to float32 rounding.
      expect(Math.abs(ours.testLoss - torch.testLoss)).toBeLessThan(1e-5 * Math.max(1, torch.testLoss));
      // The app's Load reads its spec and settings (the recipe's, lr included).
      const loaded = decodeWeightsFile(new Uint8Array(await readFile(file)));
      expect(loaded.spec).toEqual(presetSpec('cnn'));
      expect(loaded.metadata.step).toBe(STEPS);
      const { config, checkpoint } = planRestore(loaded, defaultConfig());
      expect(config.model).toEqual(presetSpec('cnn'));
      expect(checkpoint.step).toBe(STEPS);
      expect(loaded.metadata.settings.batchSize).toBe(32);
    }
  }, 600_000);
});

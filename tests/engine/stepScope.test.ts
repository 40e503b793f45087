// Tensors in the WASM memory: what lives where, and that a step arena never hands out memory
// that something outside the step can still read.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, allocFloat32, crossEntropy, Linear, MLP, ReLU, Rng, Sequential, stepScope, Tensor } from '../../src/engine';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { threadRuntime } from '../../src/engine/parallel/runtime';
import { isResident } from '../../src/engine/storage';
import { gatherBatch, prepareGather } from '../../src/engine/data/batch';

const runtime = threadRuntime();
if (!runtime) throw new Error('these tests need the WASM kernels (npm run build:wasm)');
const memory = runtime.memory;

beforeAll(() => void enableParallel({ threads: 1 }));
afterAll(() => shutdownParallel());

function batch(rng: Rng, n = 8): { x: Tensor; y: Int32Array } {
  return { x: Tensor.randn([n, 784], rng), y: Int32Array.from({ length: n }, () => rng.int(10)) };
}

function step(model: MLP, optimizer: Adam, x: Tensor, y: Int32Array): { loss: Tensor; logits: Tensor } {
  optimizer.zeroGrad();
  const logits = model.forward(x);
  const loss = crossEntropy(logits, y);
  loss.backward();
  optimizer.step();
  return { loss, logits };
}

describe('storage with the WASM kernels on', () => {
  it('puts parameters and optimizer state in the WASM memory, and nothing else outside a scope', () => {
    const model = new MLP(784, 16, 10, new Rng(0));
    const optimizer = new Adam(model.parameters());
    for (const p of model.parameters()) expect(isResident(p.data)).toBe(true);
    const x = Tensor.randn([4, 784], new Rng(1));
    expect(isResident(x.data)).toBe(false);
    expect(isResident(allocFloat32(10))).toBe(false);
    const { loss } = step(model, optimizer, x, Int32Array.from([1, 2, 3, 4]));
    expect(isResident(loss.data)).toBe(false);
    for (const [name, buf] of Object.entries(optimizer.stateDict().buffers)) expect(isResident(buf), name).toBe(false); // copies out
    const state = (optimizer as unknown as { state: Map<string, Float32Array>[] }).state;
    for (const entries of state) for (const buf of entries.values()) expect(isResident(buf)).toBe(true);
  });

  it('inside a scope allocates zeroed arena memory, the same memory again in the next scope', () => {
    const offsets: number[][] = [];
    for (let s = 0; s < 3; s++) {
      stepScope(() => {
        const a = allocFloat32(100);
        const b = allocFloat32(7);
        expect(isResident(a) && isResident(b)).toBe(true);
        expect(a.every((v) => v === 0)).toBe(true);
        a.fill(s + 1);
        offsets.push([a.byteOffset, b.byteOffset]);
      });
    }
    expect(offsets[1]).toEqual(offsets[0]);
    expect(offsets[2]).toEqual(offsets[0]);
    expect(offsets[0][0] % 64).toBe(0);
  });

  it('a tensor made in a scope cannot be read after it ends; values copied out inside can', () => {
    const model = new MLP(784, 16, 10, new Rng(2));
    const optimizer = new Adam(model.parameters());
    const { x, y } = batch(new Rng(3));
    let kept: { loss: Tensor; logits: Tensor } | null = null;
    const value = stepScope(() => {
      kept = step(model, optimizer, x, y);
      return kept.loss.item();
    });
    expect(Number.isFinite(value)).toBe(true);
    const { loss, logits } = kept!;
    expect(() => loss.item()).toThrow(/stepScope that has ended/);
    expect(() => logits.data).toThrow(/stepScope that has ended/);
    expect(() => logits.add(1)).toThrow(/stepScope that has ended/);
    expect(() => loss.backward()).toThrow(/stepScope that has ended/);
    // Gradients of parameters are arena memory too: readable during the step only.
    expect(() => model.l1.weight.grad?.data).toThrow(/stepScope that has ended/);
    // The parameters themselves are persistent.
    expect(Number.isFinite(model.l1.weight.data[0])).toBe(true);
  });

  it('tensors on the ordinary heap work inside a scope, and tensors from before a scope outlive it', () => {
    const before = Tensor.fromArray([1, 2, 3], [3]);
    const w = Tensor.randn([5, 3], new Rng(4));
    const outside = stepScope(() => {
      const y = new Linear(3, 5).forward(before.reshape([1, 3]));
      const z = before.reshape([1, 3]).matmul(w.transpose());
      return { y: y.toArray(), z: Float32Array.from(z.data) };
    });
    expect(outside.y).toHaveLength(5);
    expect(outside.z).toEqual(before.reshape([1, 3]).matmul(w.transpose()).data);
    expect(before.toArray()).toEqual([1, 2, 3]);
  });

  it('a nested scope joins the outer one; a throwing step still frees its arena', () => {
    stepScope(() => {
      const outer = allocFloat32(4);
      const inner = stepScope(() => new Tensor(allocFloat32(4), [4]));
      expect(() => inner.data).not.toThrow(); // still inside the outer scope
      expect(inner.data.byteOffset).toBeGreaterThan(outer.byteOffset);
    });
    const first = stepScope(() => allocFloat32(16).byteOffset);
    expect(() =>
      stepScope(() => {
        allocFloat32(1000);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(stepScope(() => allocFloat32(16).byteOffset)).toBe(first);
  });

  it('training holds the WASM memory steady: after the first step, no growth and no new blocks', () => {
    const model = Sequential.named([
      ['l1', new Linear(784, 32, { rng: new Rng(5) })],
      ['act', new ReLU()],
      ['l2', new Linear(32, 10, { rng: new Rng(6) })],
    ]);
    const optimizer = new Adam(model.parameters());
    const rng = new Rng(7);
    const data = batch(rng, 64);
    const train = (): number =>
      stepScope(() => {
        optimizer.zeroGrad();
        const loss = crossEntropy(model.forward(data.x), data.y);
        loss.backward();
        optimizer.step();
        return loss.item();
      });
    train();
    const allocations = memory.allocationCount;
    const size = memory.byteLength;
    const losses = Array.from({ length: 50 }, train);
    expect(memory.allocationCount).toBe(allocations);
    expect(memory.byteLength).toBe(size);
    expect(losses[49]).toBeLessThan(losses[0]);
  });

  it('a step bigger than the arena spills into a second chunk once, then fits in one', () => {
    const allocations: number[] = [];
    for (let s = 0; s < 4; s++)
      stepScope(() => {
        for (let i = 0; i < 6; i++) allocFloat32(100_000); // 2.4 MB, more than the 1 MiB first chunk
        allocations.push(memory.allocationCount);
      });
    expect(allocations[1]).toBe(allocations[0] + 1); // the first step spilled; its end made one chunk for all
    expect(allocations[2]).toBe(allocations[1]);
    expect(allocations[3]).toBe(allocations[1]);
  });
});

describe('the batch gather', () => {
  it('reads a copy of the pixels in the WASM memory, made once by prepareGather', () => {
    const setOf = (images: Uint8Array) => ({ images, labels: new Uint8Array(images.length / 784), count: images.length / 784, rows: 28, cols: 28 }) as const;
    const images = Uint8Array.from({ length: 50 * 784 }, (_, i) => (i * 31) & 255);
    const set = setOf(images);
    const other = setOf(new Uint8Array(784));
    stepScope(() => gatherBatch(other, [0, 0])); // the arena's chunk and the kernel's index scratch exist
    prepareGather(set);
    const allocations = memory.allocationCount;
    prepareGather(set);
    const rows = stepScope(() => {
      const { x } = gatherBatch(set, [3, 49]);
      expect(isResident(x.data)).toBe(true);
      return Array.from(x.data.subarray(784, 784 + 5));
    });
    expect(memory.allocationCount).toBe(allocations);
    expect(rows).toEqual(Array.from(images.subarray(49 * 784, 49 * 784 + 5), (p) => Math.fround(p / 255)));
  });
});

describe('persistent blocks', () => {
  it('are freed when their tensors are garbage-collected, and reused', async () => {
    const script = fileURLToPath(new URL('./fixtures/persistentFree.ts', import.meta.url));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', '--import', 'tsx', script], { timeout: 240_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
    });
    const { baseline, during, after, afterMany, grew } = JSON.parse(out) as Record<string, number>;
    // The model's parameters and Adam's two moments: (784·64 + 64 + 64·10 + 10) floats, 3 times.
    expect(during - baseline).toBeGreaterThanOrEqual(3 * 4 * (784 * 64 + 64 + 640 + 10));
    expect(after).toBe(baseline);
    expect(afterMany).toBe(baseline);
    expect(grew).toBe(0);
  });
});

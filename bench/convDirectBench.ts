// im2col + gemm against a direct kernel, for the convolution's forward pass: which way should
// convolution reach the WASM SIMD kernel? Both run single-threaded in one WASM memory, on the
// cnn preset's two layers at batch 32: the engine's im2col, gemm and layout copy (what the
// pool runs), against a register-tiled direct kernel (convDirect.as.ts: 4 output channels × 8
// columns in 8 v128 accumulators over a zero-padded copy of the input).
//
// Measured (2-core AMD EPYC, CPU time, three runs): a tie within noise — time ratios 0.93–0.97 on
// conv2 (8→16, 14×14; im2col + gemm faster), 1.04–1.13 on conv1 (1→8, 28×28; direct faster),
// both at 19–32 GFLOPS. A direct kernel would also
// need its own weight- and input-gradient kernels and its own way onto the pool's threads, where
// im2col reuses the gemm and its parallel split for all three products, so the engine uses im2col.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiate, wasmApi } from '../src/engine/kernels/wasm/wasmApi';
import { round } from './timing';

export interface DirectRow {
  layer: string;
  im2colGemmGflops: number;
  directGflops: number;
  /** im2col + gemm time ÷ direct time (> 1: direct is faster). */
  ratio: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU-time median of 5 windows: single-threaded work, so contention from other processes matters less. */
function cpuTime(fn: () => void, windowMs: number): number {
  for (let i = 0; i < 10; i++) fn();
  const per: number[] = [];
  for (let w = 0; w < 5; w++) {
    const start = cpuMs();
    let calls = 0;
    while (cpuMs() - start < windowMs) {
      fn();
      calls++;
    }
    per.push((cpuMs() - start) / calls);
  }
  return per.sort((a, b) => a - b)[2];
}

async function compile(): Promise<Uint8Array> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'digitrain-conv-direct-'));
  try {
    const outFile = join(dir, 'convDirect.wasm');
    const asc = await import('assemblyscript/asc');
    const { error, stderr } = await asc.main([
      ...['src/engine/kernels/wasm/matmul.as.ts', 'src/engine/kernels/wasm/conv.as.ts', 'bench/convDirect.as.ts'].map((f) => join(root, f)),
      '--outFile',
      outFile,
      '-O3',
      '--noAssert',
      '--runtime',
      'stub',
      '--enable',
      'simd',
      '--enable',
      'threads',
      '--importMemory',
      '--sharedMemory',
      '--initialMemory',
      '2',
      '--maximumMemory',
      '16384',
    ]);
    if (error) throw new Error(`${error.message}\n${stderr.toString()}`);
    return new Uint8Array(readFileSync(outFile));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Exports {
  scratchBytes(): number;
  gemm(...args: number[]): void;
  im2col(...args: number[]): void;
  channelsToBatch(...args: number[]): void;
  padInput(...args: number[]): void;
  directForward(...args: number[]): void;
}

export async function benchConvDirect(windowMs: number): Promise<DirectRow[]> {
  const api = wasmApi();
  const memory = new api.Memory({ initial: 2000, maximum: 16384, shared: true });
  const e = instantiate(new api.Module(await compile()), memory) as unknown as Exports;
  const f = new Float32Array(memory.buffer);
  const scratch = 65536;
  let top = scratch + e.scratchBytes() + 1024;
  const alloc = (floats: number): number => {
    const at = top;
    top += (floats * 4 + 63) & ~63;
    return at;
  };
  const rows: DirectRow[] = [];
  for (const [layer, n, c, h, o, k, p] of [
    ['conv2 8→16 k5 p2, 14×14', 32, 8, 14, 16, 5, 2],
    ['conv1 1→8 k5 p2, 28×28', 32, 1, 28, 8, 5, 2],
  ] as const) {
    top = scratch + e.scratchBytes() + 1024;
    const outPlane = h * h;
    const depth = c * k * k;
    const width = n * outPlane;
    const x = alloc(n * c * h * h);
    const w = alloc(o * depth);
    const wt = alloc(o * depth);
    const b = alloc(o);
    const cols = alloc(depth * width);
    const yT = alloc(o * width);
    const y1 = alloc(n * o * outPlane);
    const y2 = alloc(n * o * outPlane);
    const hp = h + 2 * p;
    const wp = Math.ceil(h / 8) * 8 + k + 4; // room for the last 8-wide tile's loads
    const xp = alloc(n * c * hp * wp);
    const tile = alloc(64);
    for (let i = 0; i < n * c * h * h; i++) f[(x >> 2) + i] = Math.sin(i);
    for (let i = 0; i < o * depth; i++) f[(w >> 2) + i] = Math.cos(i * 0.7);
    for (let i = 0; i < o; i++) f[(b >> 2) + i] = i * 0.1;
    for (let oi = 0; oi < o; oi++) for (let r = 0; r < depth; r++) f[(wt >> 2) + r * o + oi] = f[(w >> 2) + oi * depth + r];
    const viaGemm = (): void => {
      e.im2col(x, n, c, h, h, k, k, 1, 1, p, p, h, h, cols);
      e.gemm(w, cols, yT, o, depth, width, 0, 0, 0, 0, o, 0, width, scratch);
      e.channelsToBatch(yT, b, n, o, outPlane, y1);
    };
    const direct = (): void => {
      e.padInput(x, n, c, h, h, p, hp, wp, xp);
      e.directForward(xp, n, c, hp, wp, wt, b, o, k, k, h, h, y2, tile);
    };
    viaGemm();
    direct();
    for (let i = 0; i < n * o * outPlane; i++) {
      const a = f[(y1 >> 2) + i];
      if (Math.abs(a - f[(y2 >> 2) + i]) > 1e-4 * (1 + Math.abs(a))) throw new Error(`direct kernel disagrees at ${i}`);
    }
    const flops = 2 * o * depth * width;
    const tGemm = cpuTime(viaGemm, windowMs);
    const tDirect = cpuTime(direct, windowMs);
    rows.push({ layer, im2colGemmGflops: round(flops / tGemm / 1e6), directGflops: round(flops / tDirect / 1e6), ratio: round(tGemm / tDirect, 2) });
  }
  return rows;
}

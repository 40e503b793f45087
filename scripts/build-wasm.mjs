// Builds the WebAssembly SIMD kernels (the matmul, the training step's fused element-wise
// kernels and convolution's data movement, one module) from their AssemblyScript sources.
// Runs from `prepare` (npm install / npm ci) and by hand with `npm run build:wasm`.
// The engine falls back to the TypeScript kernel when the .wasm is missing, so a failed
// build is reported but does not fail the install.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['matmul.as.ts', 'fused.as.ts', 'conv.as.ts', 'pool.as.ts', 'dotRows.as.ts'].map((file) => join(root, 'src/engine/kernels/wasm', file));
const outFile = join(root, 'build/wasm/kernels.wasm');
const strict = process.argv.includes('--strict');

mkdirSync(dirname(outFile), { recursive: true });
try {
  const asc = await import('assemblyscript/asc');
  const { error, stderr } = await asc.main([
    ...sources,
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
    // One shared memory, imported: every thread's instance computes on the same tensors.
    '--importMemory',
    '--sharedMemory',
    '--initialMemory',
    '2',
    '--maximumMemory',
    '16384',
  ]);
  if (error) throw new Error(`${error.message}\n${stderr.toString()}`);
  console.log(`build-wasm: wrote ${outFile}`);
} catch (err) {
  console.warn(`build-wasm: could not build the WASM kernel (the TypeScript kernel will be used): ${err instanceof Error ? err.message : err}`);
  if (strict) process.exit(1);
}

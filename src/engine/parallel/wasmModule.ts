// Finds and compiles the WASM matmul kernel that `npm run build:wasm` builds into
// build/wasm/kernels.wasm. Missing or unusable → null, and callers use the TypeScript kernel.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmApi, type WasmModule } from '../kernels/wasm/wasmApi';

const RELATIVE_PATH = join('build', 'wasm', 'kernels.wasm');

let cached: { module: WasmModule | null; reason: string } | null = null;

/** The .wasm's path: $DIGITRAIN_WASM, else the nearest build/wasm/kernels.wasm above this file or the cwd. */
export function findWasmFile(): string | null {
  const fromEnv = process.env.DIGITRAIN_WASM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, RELATIVE_PATH);
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return null;
}

/** The compiled module, or null (with `wasmUnavailableReason()` saying why). Compiled once per thread. */
export function loadWasmModule(): WasmModule | null {
  if (!cached) cached = compile();
  return cached.module;
}

export function wasmUnavailableReason(): string {
  loadWasmModule();
  return cached?.reason ?? '';
}

function compile(): { module: WasmModule | null; reason: string } {
  const path = findWasmFile();
  if (!path) return { module: null, reason: `${RELATIVE_PATH} not found (run npm run build:wasm)` };
  try {
    const bytes = new Uint8Array(readFileSync(path));
    return { module: new (wasmApi().Module)(bytes), reason: '' };
  } catch (err) {
    return { module: null, reason: `${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

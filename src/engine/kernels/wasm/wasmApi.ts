// The slice of the WebAssembly JS API the kernels use, typed locally: the Node-side
// tsconfig has no DOM lib (where TypeScript declares WebAssembly), and a global
// declaration here would clash with it in builds that do include the DOM.

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(deltaPages: number): number;
}

/** Opaque compiled module; it can be posted to workers and instantiated there. */
export interface WasmModule {
  readonly __wasmModule?: never;
}

interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}

export function wasmApi(): WasmApi {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('WebAssembly is not available in this JavaScript runtime');
  return api;
}

export function instantiate(module: WasmModule, memory: WasmMemory): Record<string, unknown> {
  const abort = (): never => {
    throw new Error('WASM kernel aborted');
  };
  return new (wasmApi().Instance)(module, { env: { memory, abort } }).exports;
}

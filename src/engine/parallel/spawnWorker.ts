// Starting a worker thread from TypeScript source or from the built bundle alike.
//
// Callers name the compiled script (`new URL('./x.js', import.meta.url)`). In the
// bundle that file exists and starts as is. When running from source (tsx, vitest)
// only `x.ts` is there; Node 20 workers ignore `--import tsx` in execArgv, so the
// worker starts on a tiny bootstrap that loads the source through tsx's API.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function resolveWorkerScript(url: URL): { path: string; fromSource: boolean } {
  const path = fileURLToPath(url);
  if (existsSync(path)) return { path, fromSource: false };
  const source = path.replace(/\.js$/, '.ts');
  if (existsSync(source)) return { path: source, fromSource: true };
  throw new Error(`worker script not found: ${path}`);
}

export function spawnWorker(url: URL, options: WorkerOptions = {}): Worker {
  const { path, fromSource } = resolveWorkerScript(url);
  if (!fromSource) return new Worker(path, options);
  const tsxApi = tsxEsmApi();
  const bootstrap = `import(${JSON.stringify(tsxApi)})` + `.then((api) => api.tsImport(${JSON.stringify(pathToFileURL(path).href)}, ${JSON.stringify(tsxApi)}))`;
  return new Worker(bootstrap, { ...options, eval: true });
}

// tsx's ESM entry (its CommonJS entry registers hooks by a path that does not resolve from a worker).
function tsxEsmApi(): string {
  const root = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return pathToFileURL(join(root, 'dist/esm/api/index.mjs')).href;
}

// Where the Electron executable is, if one is installed and starts; otherwise why not.
// Never triggers a download (the npm package fetches its binary on first use, which this
// machine cannot do). playwright.config.ts runs the Electron project only when one is found.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Electron executable if it is installed and starts; otherwise why not. Never triggers a download. */
export function findElectron(): { path: string } | { reason: string } {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(packageDir, 'path.txt');
  if (!override && !existsSync(pathFile)) return { reason: `no Electron binary was downloaded (${pathFile} is missing)` };
  const executable = override ? join(override, readFileSafe(pathFile) ?? 'electron') : join(packageDir, 'dist', readFileSafe(pathFile) ?? '');
  if (!existsSync(executable)) return { reason: `the Electron binary ${executable} does not exist` };
  const run = spawnSync(executable, ['--version'], { timeout: 20_000, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (run.status !== 0) return { reason: `the Electron binary does not run: ${run.error?.message ?? run.stderr.trim()}` };
  return { path: executable };
}

function readFileSafe(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

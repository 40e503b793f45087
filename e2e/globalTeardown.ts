// Removes the temporary data folder the web host kept its runs and digits in (playwright.config.ts).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';

export default function globalTeardown(): void {
  const dir = process.env.DIGITRAIN_E2E_DATA;
  // Only a folder this run made under the temporary directory.
  if (dir && dirname(dir) === tmpdir() && basename(dir).startsWith('digitrain-e2e-')) rmSync(dir, { recursive: true, force: true });
}

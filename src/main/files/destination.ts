// Before a long job writes its result (`npm run train --out`): can it be written there at
// all? Found out after an hour of training, a missing folder or a read-only disk costs the
// hour; checked first, it costs nothing. Errors name the path the user gave.

import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { temporaryPathFor } from './atomicWrite';
import { FileWriteError } from './fileErrors';

/** Throws FileWriteError unless a file can be created beside `path` and `path` is not a folder. */
export async function checkWritableDestination(path: string): Promise<void> {
  const target = await fs.stat(path).catch(() => null);
  if (target?.isDirectory()) throw new FileWriteError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  const folder = await fs.stat(dirname(path)).catch((error: unknown) => {
    throw new FileWriteError(path, error);
  });
  if (!folder.isDirectory()) throw new FileWriteError(path, Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }));
  // A probe with the atomic writer's own naming: removed at once, swept if we are killed meanwhile.
  const probe = temporaryPathFor(path);
  try {
    const handle = await fs.open(probe, 'wx');
    await handle.close();
  } catch (error) {
    throw new FileWriteError(path, error);
  } finally {
    await fs.rm(probe, { force: true }).catch(() => undefined);
  }
}

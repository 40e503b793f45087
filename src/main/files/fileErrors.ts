// A failed file operation, told in terms of the path the user gave: never the name of a
// temporary file they have never heard of, and never only an errno code.

import { dirname } from 'node:path';
import { messageOf } from '../../shared/messageOf';

/** Why writing `path` failed, from the error's code; `path` as the user wrote it. */
export function writeFailureReason(path: string, error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  switch (code) {
    case 'ENOENT':
      return `the folder ${dirname(path)} does not exist`;
    case 'ENOTDIR':
      return `${dirname(path)} is not a folder`;
    case 'EISDIR':
    case 'ENOTEMPTY':
    case 'EEXIST':
      return `${path} is a folder; give a file name`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (no right to write in ${dirname(path)})`;
    case 'EROFS':
      return `${dirname(path)} is on a read-only file system`;
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is exhausted';
    default:
      return messageOf(error);
  }
}

export class FileWriteError extends Error {
  override name = 'FileWriteError';

  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot write ${path}: ${writeFailureReason(path, cause)}`, { cause });
  }
}

// The one way the app reads a file it is given or keeps (the command line's --arch, --weights
// and images, runs, the learner's digits, weights files): bounded, and only regular files.
//
// `readFile` on a path reads until the end, and some paths have none: /dev/zero (as --arch,
// 8.7 GB in 31 s; its `stat` size is 0, so a size check passes), a symlink to it, a FIFO
// (which blocks forever in `open` until someone writes). So: open without blocking (O_NONBLOCK:
// opening a FIFO returns at once), fstat the descriptor we hold (not the path, which may change
// between the two), require a regular file, then read at most limit + 1 bytes whatever the size
// said, so a file that grows meanwhile is still refused without reading all of it.
import { constants, fstatSync, openSync, closeSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** Refused because the path is not a regular file, or too large; `reason` reads after the path ("… is a FIFO"). */
export class FileReadError extends Error {
  override name = 'FileReadError';

  constructor(
    readonly path: string,
    readonly reason: string,
    /** 'not-regular' or 'too-large'. */
    readonly kind: 'not-regular' | 'too-large',
  ) {
    super(`${path} ${reason}`);
  }
}

/** What a path that is not a regular file is, in words ("a directory", "a device (like /dev/zero)"). */
export function fileKindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device (like /dev/zero)';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(path: string, stat: Stats): FileReadError {
  return new FileReadError(path, `is ${fileKindOf(stat)}, not a file`, 'not-regular');
}

/** Says why `size` bytes are too many (null: they are not); the default names the limit. */
export type TooLarge = (size: number) => string | null;

const overLimit =
  (limit: number): TooLarge =>
  (size) =>
    size > limit ? `is ${size} bytes, more than such a file can be (${limit})` : null;

function tooLargeError(path: string, size: number, limit: number, tooLarge: TooLarge | undefined): FileReadError {
  const reason = (tooLarge ?? overLimit(limit))(size) ?? overLimit(limit)(size) ?? `is more than ${limit} bytes`;
  return new FileReadError(path, reason, 'too-large');
}

/**
 * A regular file opened for reading, and its fstat. Refuses (FileReadError) anything else
 * without blocking. The caller closes the handle.
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; stat: Stats }> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw notRegular(path, stat);
    return { handle, stat };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The bytes of the regular file at `path`, at most `limit` of them: a larger file is refused
 * (FileReadError; `tooLarge` words the reason) having read at most limit + 1 bytes.
 */
export async function readRegularFile(path: string, limit: number, tooLarge?: TooLarge): Promise<Uint8Array> {
  const { handle, stat } = await openRegularFile(path);
  try {
    if (stat.size > limit) throw tooLargeError(path, stat.size, limit, tooLarge);
    // Room for one byte more than the size said: reading it means the file grew meanwhile.
    let into = new Uint8Array(Math.min(stat.size, limit) + 1);
    let done = 0;
    for (;;) {
      if (done === into.length) {
        if (done > limit) throw tooLargeError(path, done, limit, tooLarge);
        const larger = new Uint8Array(limit + 1);
        larger.set(into);
        into = larger;
      }
      const { bytesRead } = await handle.read(into, done, into.length - done, done);
      if (bytesRead === 0) return into.subarray(0, done);
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** The file as UTF-8 text, as readRegularFile. */
export async function readRegularText(path: string, limit: number, tooLarge?: TooLarge): Promise<string> {
  return new TextDecoder().decode(await readRegularFile(path, limit, tooLarge));
}

/** As readRegularFile, synchronously (start-up reads such as the MNIST files). */
export function readRegularFileSync(path: string, limit: number, tooLarge?: TooLarge): Uint8Array {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw notRegular(path, stat);
    if (stat.size > limit) throw tooLargeError(path, stat.size, limit, tooLarge);
    let into = new Uint8Array(Math.min(stat.size, limit) + 1);
    let done = 0;
    for (;;) {
      if (done === into.length) {
        if (done > limit) throw tooLargeError(path, done, limit, tooLarge);
        const larger = new Uint8Array(limit + 1);
        larger.set(into);
        into = larger;
      }
      const read = readSync(fd, into, done, into.length - done, done);
      if (read === 0) return into.subarray(0, done);
      done += read;
    }
  } finally {
    closeSync(fd);
  }
}

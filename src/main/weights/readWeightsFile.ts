// Reading a weights file from disk (the CLI, Electron's Load): the file's size, and what its
// header says about that size, are checked before the bulk of it is read. A 1 GB file, or a
// small header in front of a large one, is refused having read at most the header.

import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { weightsFileTooLarge } from '../../shared/weightsFiles';
import { WeightsFileError } from './format';
import { describeForeignFile } from './foreignFile';
import { FileReadError, openRegularFile } from '../files/readRegularFile';

const LENGTH_PREFIX_BYTES = 8;
/** Enough of the file's start to tell what it is when it is not safetensors (foreignFile.ts). */
const SNIFF_BYTES = 4096;

export async function readWeightsFile(path: string): Promise<Uint8Array> {
  const name = basename(path);
  let opened;
  try {
    // Only a regular file, opened without blocking: /dev/zero or a FIFO is named for what it is.
    opened = await openRegularFile(path);
  } catch (error) {
    if (error instanceof FileReadError) throw new WeightsFileError(`${name} ${error.reason.replace(/not a file$/, 'not a weights file')}`);
    throw error;
  }
  const { handle, stat: info } = opened;
  try {
    const tooLarge = weightsFileTooLarge(name, info.size);
    if (tooLarge) throw new WeightsFileError(tooLarge);
    const claimed = await claimedFileSize(handle, info.size);
    if (claimed !== null && claimed !== info.size) {
      throw new WeightsFileError(
        `not a valid safetensors file: its header describes a file of ${claimed} bytes but it has ${info.size} (${claimed > info.size ? 'truncated' : 'extra bytes at the end'})`,
      );
    }
    return await readExactly(handle, 0, info.size);
  } finally {
    await handle.close();
  }
}

/**
 * The size the safetensors header implies (length prefix + header + the end of the last
 * tensor), or null when the header cannot say: then the decoder reads the file and reports
 * exactly what is wrong with it.
 */
async function claimedFileSize(handle: FileHandle, size: number): Promise<number | null> {
  if (size < LENGTH_PREFIX_BYTES) return null;
  const start = await readExactly(handle, 0, Math.min(size, SNIFF_BYTES));
  const headerLength = new DataView(start.buffer).getBigUint64(0, true);
  if (headerLength > BigInt(size - LENGTH_PREFIX_BYTES)) {
    const foreign = describeForeignFile(start);
    if (foreign) throw new WeightsFileError(`not a valid safetensors file: ${foreign}`);
    throw new WeightsFileError(`not a valid safetensors file: its header length ${headerLength} runs past the end of the file (${size} bytes); it is truncated or not safetensors`);
  }
  const headerBytes = Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await readExactly(handle, LENGTH_PREFIX_BYTES, headerBytes)));
  } catch {
    return null;
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return null;
  let dataEnd = 0;
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const offsets = entry !== null && typeof entry === 'object' && Object.hasOwn(entry, 'data_offsets') ? (entry as { data_offsets: unknown }).data_offsets : null;
    const end = Array.isArray(offsets) && offsets.length === 2 ? offsets[1] : null;
    if (!Number.isSafeInteger(end) || (end as number) < 0) return null;
    dataEnd = Math.max(dataEnd, end as number);
  }
  return LENGTH_PREFIX_BYTES + headerBytes + dataEnd;
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(bytes, done, length - done, position + done);
    if (bytesRead === 0) throw new WeightsFileError(`the file ended after ${position + done} bytes while it was being read (was it changed meanwhile?)`);
    done += bytesRead;
  }
  return bytes;
}

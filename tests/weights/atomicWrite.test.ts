import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicWriteFile } from '../../src/main/files/atomicWrite';

describe('atomicWriteFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digitrain-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a new file and replaces an existing one, leaving no temporary file behind', async () => {
    const path = join(dir, 'model.safetensors');
    await atomicWriteFile(path, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    await atomicWriteFile(path, 'second');
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });

  it('names the path it was given when the directory does not exist (not the temporary file)', async () => {
    const path = join(dir, 'missing', 'x.bin');
    await expect(atomicWriteFile(path, 'data')).rejects.toThrow(`cannot write ${path}: the folder ${join(dir, 'missing')} does not exist`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves the target untouched and removes the temporary file when the rename fails', async () => {
    // A non-empty directory at the target path makes rename fail after the temp file is written.
    const target = join(dir, 'occupied');
    await mkdir(target);
    await writeFile(join(target, 'keep.txt'), 'keep');
    await expect(atomicWriteFile(target, 'data')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['occupied']);
    expect(await readFile(join(target, 'keep.txt'), 'utf8')).toBe('keep');
  });
});

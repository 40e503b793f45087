// Issue 13, bug 6: `npm run train` writes model.safetensors into the working directory by
// default; in a checkout that file must not show up in `git status`. Checked with git itself
// (in a scratch repository holding only our .gitignore), not with a reimplementation of its rules.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCliOptions } from '../../src/main/cli/args';

const scratch = mkdtempSync(join(tmpdir(), 'digitrain-gitignore-'));
execFileSync('git', ['init', '-q', scratch]);
copyFileSync(resolve(__dirname, '../../.gitignore'), join(scratch, '.gitignore'));

function ignored(path: string): boolean {
  try {
    execFileSync('git', ['-C', scratch, 'check-ignore', '-q', '--no-index', path]);
    return true;
  } catch {
    return false; // exit code 1: not ignored
  }
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('files a user makes in the checkout stay out of git status', () => {
  it("the train command's default output, and weights or ONNX saved beside it", () => {
    expect(ignored(defaultCliOptions().out)).toBe(true);
    expect(ignored('digitrain-128h-step1000.safetensors')).toBe(true);
    expect(ignored('digitrain-128h-step1000.onnx')).toBe(true);
  });

  it('but not the test fixtures the repository keeps', () => {
    expect(ignored('tests/fixtures/anet-seed0-init.safetensors')).toBe(false);
    expect(ignored('tests/weights/fixtures/linear.onnx')).toBe(false);
  });
});

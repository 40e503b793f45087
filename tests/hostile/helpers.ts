// Running the app's commands as separate processes with their peak memory measured, and
// the small builders the hostile-input tests share.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PEAK_RSS_PRELOAD = fileURLToPath(new URL('./peakRss.ts', import.meta.url));
export const CLASSIFY_CLI = fileURLToPath(new URL('../../src/main/cli/classify.ts', import.meta.url));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak RSS of the child, in bytes (null if it died before it could say). */
  peakRss: number | null;
  ms: number;
}

/** `node --import tsx <script> ...args` with its peak RSS recorded; killed after `timeoutMs`. */
export function runTsx(script: string, args: string[], timeoutMs = 240_000): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'digitrain-rss-'));
  const rssFile = join(dir, 'peak');
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--import', PEAK_RSS_PRELOAD, script, ...args],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20, env: { ...process.env, DIGITRAIN_PEAK_RSS_FILE: rssFile } },
      (error, stdout, stderr) => {
        let peakRss: number | null = null;
        try {
          peakRss = Number(readFileSync(rssFile, 'utf8'));
        } catch {
          peakRss = null;
        }
        rmSync(dir, { recursive: true, force: true });
        const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
        resolve({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
          peakRss,
          ms: performance.now() - started,
        });
      },
    );
  });
}

export const MB = 1024 * 1024;

/** Every name an object inherits from Object.prototype: what `key in object` wrongly accepts. */
export const PROTOTYPE_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

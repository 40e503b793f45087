// Issue 12, "done when": a seeded, time-bounded fuzz run through the real code paths (see
// fuzz/fuzzRunner.ts), in a process of its own so that its peak memory is its own. Mutated
// PNG/JPEG/WebP/BMP files, safetensors files, WebSocket messages (among them binary frames
// whose header names the same bytes many times) and models over the budgets (issue 26) must never crash or hang
// it, every refusal must be a short message that names the problem, and the loaded model
// must be unchanged after every refusal.
//
// DIGITRAIN_FUZZ_SEED and DIGITRAIN_FUZZ_BUDGET_MS run other seeds or longer; a failure names
// its seed, kind and case number, and the same seed runs the same cases again.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { MB } from './helpers';

const RUNNER = fileURLToPath(new URL('./fuzz/fuzzRunner.ts', import.meta.url));
const SEED = Number(process.env.DIGITRAIN_FUZZ_SEED ?? 12);
const BUDGET_MS = Number(process.env.DIGITRAIN_FUZZ_BUDGET_MS ?? 20_000);
/** The run idles at ~330 MB (Node, tsx, two copies of MNIST: the test's session and the host's worker, libvips); bombs must not add to it. */
const MAX_PEAK_RSS = 768 * MB;

interface Report {
  seed: number;
  counts: Record<string, number>;
  refusals: Record<string, number>;
  failures: { kind: string; index: number; what: string; problem: string }[];
  failureCount: number;
  peakRss: number;
  ms: number;
}

it(
  `fuzz: images, weights files and WebSocket messages (seed ${SEED}, ${BUDGET_MS / 1000} s)`,
  async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, '--seed', String(SEED), '--budget', String(BUDGET_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let lastCase = '';
    let stderrTail = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      const cases = text.split('\n').filter((line) => line.startsWith('case '));
      if (cases.length > 0) lastCase = cases[cases.length - 1];
      stderrTail = (
        stderrTail +
        text
          .split('\n')
          .filter((line) => !line.startsWith('case '))
          .join('\n')
      ).slice(-2000);
    });
    // A hang anywhere (even in synchronous code) ends here, naming the case it was in.
    // The runner's phases each run a minimum number of cases however slow the machine (fuzzRunner.ts MIN_CASES): room for ten times slower.
    const hardLimit = setTimeout(() => child.kill('SIGKILL'), BUDGET_MS + 240_000);
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal })),
    );
    clearTimeout(hardLimit);
    expect({ code, signal, lastCase, stderr: code === 0 ? '' : stderrTail }).toEqual({ code: 0, signal: null, lastCase, stderr: '' });

    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
    console.log(
      `fuzz seed ${report.seed}: ${Object.entries(report.counts)
        .map(([kind, n]) => `${n} ${kind} (${report.refusals[kind]} refused)`)
        .join(', ')}; ` + `peak RSS ${(report.peakRss / MB).toFixed(0)} MB; ${(report.ms / 1000).toFixed(1)} s`,
    );
    expect(report.failures).toEqual([]);
    expect(report.failureCount).toBe(0);
    // Enough cases ran to mean something: each phase runs at least fuzzRunner.ts's MIN_CASES, on any machine.
    expect(report.counts.images).toBeGreaterThanOrEqual(200);
    expect(report.counts.weights).toBeGreaterThanOrEqual(50);
    expect(report.counts.messages).toBeGreaterThanOrEqual(50);
    // Frames whose header names one blob many times (issue 26): each refused (checked in the runner).
    expect(report.counts.repeatedTags).toBeGreaterThan(2);
    expect(report.refusals.repeatedTags).toBe(report.counts.repeatedTags);
    // Issue 26: models over the memory and operations budgets, through validation, Reset and a weights file.
    expect(report.counts.specs).toBeGreaterThanOrEqual(20);
    expect(report.peakRss).toBeLessThan(MAX_PEAK_RSS);
  },
  BUDGET_MS + 270_000,
);

// TEST ONLY: a pause added to every training step, to play a slow machine on a fast one.
//
// The e2e suite checks that a learner whose machine trains ~15 steps/s sees test accuracy,
// samples and the confusion matrix within seconds of pressing Train. It starts a web host
// with DIGITRAIN_TEST_STEP_DELAY_MS set; nothing else sets it, and without it (always, for
// users) training runs at full speed. The pause blocks the training thread as a slow step
// would: commands wait for the step to end, exactly as they do on a slow machine.

export const TEST_STEP_DELAY_ENV = 'DIGITRAIN_TEST_STEP_DELAY_MS';

/** The delay the environment asks for, in ms (0 when unset); a malformed value is an error, not silence. */
export function testStepDelayMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[TEST_STEP_DELAY_ENV];
  if (raw === undefined || raw === '') return 0;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0 || ms > 10_000) throw new Error(`${TEST_STEP_DELAY_ENV} must be a number of ms from 0 to 10000, got ${JSON.stringify(raw)}`);
  return ms;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` (a worker thread may block; the main thread must not call this). */
export function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

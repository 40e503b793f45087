// Training is background work. On a small machine it competes for the CPU with the window
// that shows it (the renderer is another process), and every frame the renderer waits for
// a core is a frame late: on 2 cores a 20 ms chart redraw became a 60–220 ms long task.
// So the trainer runs below normal priority, but not at the lowest: on a machine busy with
// other work, nice 19 (and even nice 10) starved it — the page waited over 120 s for its first
// answer and trained at ~3 samples/s — while nice 0 made the window's frames late (a median of
// 33–133 ms). Nice 5 kept the frames at 60/s (median 16.7 ms) and trained at 15–34 steps/s on
// the same machine (scripts/measure-priority.mjs; the numbers are in the README).
//
// Linux gives every thread a nice value of its own (setpriority on "this process" means
// the calling thread), and threads inherit it from the thread that creates them: lowering
// the training thread before its matmul pool starts lowers the pool workers too. Elsewhere
// the same call would reprioritise the whole process (the Electron main process included),
// so it is left alone.
import { getPriority, setPriority } from 'node:os';

/** Below normal (0), where the window's processes run; not the lowest (19), which starves training on a busy machine. */
export const BACKGROUND_NICE = 5;

/** Sets the trainer's nice value instead (0–19), to measure the trade of window smoothness against training rate (README). */
export const TRAINER_NICE_ENV = 'DIGITRAIN_TRAINER_NICE';

/** The nice value the trainer runs at: the environment's choice, else BACKGROUND_NICE; a malformed value is an error. */
export function trainerNice(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[TRAINER_NICE_ENV];
  if (raw === undefined || raw === '') return BACKGROUND_NICE;
  const nice = Number(raw);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new Error(`${TRAINER_NICE_ENV} must be a whole number from 0 to 19, got ${JSON.stringify(raw)}`);
  return nice;
}

/**
 * Lowers the calling thread's CPU priority to at least `nice` (never raises it). Returns the
 * thread's nice value afterwards, or null where threads have no priority of their own.
 */
export function lowerThreadPriority(nice = trainerNice(), platform: NodeJS.Platform = process.platform): number | null {
  if (platform !== 'linux') return null;
  if (getPriority() < nice) setPriority(nice);
  return getPriority();
}

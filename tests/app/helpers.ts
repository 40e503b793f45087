// Shared by the app tests: waiting for asynchronous events without timing assertions.
import type { MetricsEvent } from '../../src/shared/contract';

/**
 * Polls until `condition` holds; fails with `what` after `timeoutMs`: a hang, not a slow machine (the default is
 * sized for one ten times slower than a quiet 2-core machine; a quick one never waits for it).
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A clock for a TrainingSession that moves `msPerStep` with each training step and not otherwise
 * (pass `now` to the session and each trainer through `timed`): what the session does by its clock
 * (metrics batches, evaluations, health samples, slices) then follows the steps alone, on any machine.
 */
export function stepClock(msPerStep = 1): { now: () => number; timed<T extends { trainStep: (...args: never[]) => unknown }>(trainer: T): T } {
  let t = 0;
  return {
    now: () => t,
    timed<T extends { trainStep: (...args: never[]) => unknown }>(trainer: T): T {
      const step = trainer.trainStep.bind(trainer);
      const timedStep = (...args: never[]) => {
        t += msPerStep;
        return step(...args);
      };
      trainer.trainStep = timedStep as T['trainStep'];
      return trainer;
    },
  };
}

/** The step numbers the metrics events cover, in arrival order. */
export function stepsOf(events: readonly MetricsEvent[]): number[] {
  const steps: number[] = [];
  for (const event of events) {
    expectSameLength(event);
    for (let i = 0; i < event.loss.length; i++) steps.push(event.firstStep + i);
  }
  return steps;
}

function expectSameLength(event: MetricsEvent): void {
  if (event.loss.length !== event.accuracy.length) throw new Error(`metrics event with ${event.loss.length} losses and ${event.accuracy.length} accuracies`);
}

export function lastStep(events: readonly MetricsEvent[]): number {
  const last = events[events.length - 1];
  return last ? last.firstStep + last.loss.length - 1 : 0;
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

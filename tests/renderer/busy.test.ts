// The status line's list of what the learner waits for (issue 24): a request shows once it has
// waited SHOW_AFTER_MS, as "queued" while training runs (it waits for the trainer between
// steps) and "working…" otherwise; a burst of steps shows at once with its progress. Time is
// the caller's `now`, so these hold on any machine.
import { describe, expect, it } from 'vitest';
import { busyItems, nextShowAt, SHOW_AFTER_MS, type PendingRequest } from '../../src/renderer/state/busy';

const inspect: PendingRequest = { id: 1, method: 'inspectUnit', label: 'the unit inspector', since: 1000 };
const burst: PendingRequest = { id: 2, method: 'step', label: 'steps', since: 1000, count: 10, fromStep: 40 };

describe('busy list', () => {
  it('lists a request only once it has waited long enough, then says whether it is queued or working', () => {
    const at = { step: 40, training: true, scoring: false };
    expect(busyItems([inspect], { ...at, now: 1000 + SHOW_AFTER_MS - 1 })).toEqual([]);
    expect(busyItems([inspect], { ...at, now: 1000 + SHOW_AFTER_MS })).toEqual(['the unit inspector: queued']);
    expect(busyItems([inspect], { ...at, training: false, now: 1000 + SHOW_AFTER_MS })).toEqual(['the unit inspector: working…']);
    // Past two seconds it says how long.
    expect(busyItems([inspect], { ...at, now: 1000 + 3500 })).toEqual(['the unit inspector: queued · 3 s']);
  });

  it('shows a burst of steps at once, with how many of them are done', () => {
    expect(busyItems([burst], { now: 1000, step: 43, training: false, scoring: false })).toEqual(['10 steps: 3/10']);
    expect(busyItems([{ ...burst, count: 1 }], { now: 1000, step: 40, training: false, scoring: false })).toEqual(['a step: 0/1']);
  });

  it('says a request sent after a burst of steps is queued behind it', () => {
    const after: PendingRequest = { ...inspect, id: 3 };
    const before: PendingRequest = { ...inspect, id: 1 };
    const at = { now: 1000 + SHOW_AFTER_MS, step: 41, training: false, scoring: false };
    expect(busyItems([burst, after], at)).toEqual(['10 steps: 1/10', 'the unit inspector: queued']);
    expect(busyItems([before, burst], at)).toEqual(['the unit inspector: working…', '10 steps: 1/10']);
  });

  it('puts the scoring after Stop first', () => {
    expect(busyItems([burst], { now: 1000, step: 40, training: false, scoring: true })).toEqual(['scoring the test set: working…', '10 steps: 0/10']);
  });

  it('names the moment the next hidden request comes into view, so the list does not wait for a once-a-second tick', () => {
    const later: PendingRequest = { ...inspect, id: 3, since: 1100 };
    expect(nextShowAt([burst, later, inspect], 1050)).toBe(1000 + SHOW_AFTER_MS);
    expect(nextShowAt([burst, later, inspect], 1000 + SHOW_AFTER_MS)).toBe(1100 + SHOW_AFTER_MS);
    expect(nextShowAt([burst, later, inspect], 1100 + SHOW_AFTER_MS)).toBeNull();
    expect(nextShowAt([], 0)).toBeNull();
  });
});

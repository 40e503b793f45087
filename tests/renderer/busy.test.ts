// The status line's list of what the learner waits for (issue 24): a request shows once it has
// waited SHOW_AFTER_MS, as "queued" while training runs (it waits for the trainer between
// steps) and "working…" otherwise; a burst of steps shows at once with its progress. Time is
// the caller's `now`, so these hold on any machine.
import { describe, expect, it, vi } from 'vitest';
import { beginTask, busyItems as items, busyStore, cancelPending, nextShowAt, SHOW_AFTER_MS, trackRequests, type PendingRequest } from '../../src/renderer/state/busy';
import type { DigitrainApi } from '../../src/shared/contract';
import { CANCELLED, isCancelled } from '../../src/shared/cancel';

/** What the list says, item by item. */
const busyItems = (...args: Parameters<typeof items>) => items(...args).map((item) => item.text);

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

/**
 * A transport whose requests answer only when told to, with tickets and a cancel that records what it was asked
 * and rejects the request with CANCELLED at once, as the web client and the preload do.
 */
function fakeApi() {
  let ticket = 0;
  const answers = new Map<number, (value: unknown) => void>();
  const rejects = new Map<number, (error: Error) => void>();
  const cancelled: number[] = [];
  const send = () => {
    const mine = ++ticket;
    return new Promise((resolve, reject) => {
      answers.set(mine, resolve);
      rejects.set(mine, reject);
    });
  };
  const api = {
    inspectUnit: send,
    testPage: send,
    saveWeights: send,
    lastTicket: () => ticket,
    cancel: (t: number) => {
      cancelled.push(t);
      rejects.get(t)?.(new Error(`request: ${CANCELLED}`));
    },
  } as unknown as DigitrainApi;
  return { api, answers, cancelled };
}

describe('calling off a request', () => {
  it('the unit inspector: Cancel rejects the caller at once, leaves the list and tells the transport which ticket', async () => {
    busyStore.setState({ pending: [] });
    const { api, answers, cancelled } = fakeApi();
    const tracked = trackRequests(api, () => 0);
    const first = tracked.testPage({ filter: { label: null, predicted: null, correct: null }, order: 'index', offset: 0, limit: 40 });
    const second = tracked.inspectUnit({ layer: 'l1', unit: 3 });
    expect(busyStore.getState().pending.map((p) => p.method)).toEqual(['testPage', 'inspectUnit']);
    const listed = items(busyStore.getState().pending, { now: performance.now() + SHOW_AFTER_MS, step: 0, training: true, scoring: false });
    expect(listed.map((i) => i.text)).toEqual(['the gallery: queued', 'the unit inspector: queued']);
    expect(listed.every((i) => typeof i.cancel === 'function')).toBe(true);

    listed[1].cancel!();
    await expect(second).rejects.toSatisfy(isCancelled);
    expect(cancelled).toEqual([2]);
    expect(busyStore.getState().pending.map((p) => p.method)).toEqual(['testPage']);
    // An answer that still comes changes nothing.
    answers.get(2)!({ late: true });
    // The other one is still waited for, and answers as usual; then nothing is listed and nothing can be cancelled.
    answers.get(1)!({ page: true });
    await expect(first).resolves.toEqual({ page: true });
    expect(busyStore.getState().pending).toEqual([]);
    expect(cancelPending(first)).toBe(false);
    expect(cancelled).toEqual([2]);
  });

  it("cancelPending calls off a tracked promise by itself (the panel's own Cancel)", async () => {
    busyStore.setState({ pending: [] });
    const { api, cancelled } = fakeApi();
    const request = trackRequests(api, () => 0).inspectUnit({ layer: 'l1', unit: 0 });
    expect(cancelPending(request)).toBe(true);
    await expect(request).rejects.toSatisfy(isCancelled);
    expect(cancelled).toEqual([1]);
    expect(busyStore.getState().pending).toEqual([]);
    expect(cancelPending(request)).toBe(false);
  });

  it('requests that are not long passes have no Cancel', async () => {
    busyStore.setState({ pending: [] });
    const { api, answers } = fakeApi();
    const save = trackRequests(api, () => 0).saveWeights({ includeOptimizer: false });
    const [item] = items(busyStore.getState().pending, { now: performance.now() + SHOW_AFTER_MS, step: 0, training: false, scoring: false });
    expect(item).toMatchObject({ text: 'saving: working…' });
    expect(item.cancel).toBeUndefined();
    expect(cancelPending(save)).toBe(false);
    answers.get(1)!({ saved: true });
    await save;
    expect(busyStore.getState().pending).toEqual([]);
  });

  it('a task (the shift sweep) shows its progress, and its Cancel runs once and takes it off', () => {
    busyStore.setState({ pending: [] });
    const onCancel = vi.fn();
    const task = beginTask('the shift sweep', { total: 13, cancel: onCancel });
    const at = { now: performance.now() + SHOW_AFTER_MS, step: 0, training: true, scoring: false };
    expect(busyItems(busyStore.getState().pending, at)).toEqual(['the shift sweep: 0/13']);
    task.progress(4);
    const [item] = items(busyStore.getState().pending, at);
    expect(item.text).toBe('the shift sweep: 4/13');
    item.cancel!();
    item.cancel!();
    task.cancel();
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(busyStore.getState().pending).toEqual([]);
    // Ended without a cancel: nothing is called.
    const done = beginTask('what if');
    expect(items(busyStore.getState().pending, { ...at, now: performance.now() + SHOW_AFTER_MS })[0]).toMatchObject({ text: 'what if: queued' });
    expect(items(busyStore.getState().pending, { ...at, now: performance.now() + SHOW_AFTER_MS })[0].cancel).toBeUndefined();
    done.end();
    done.cancel();
    expect(busyStore.getState().pending).toEqual([]);
  });
});

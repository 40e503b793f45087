// The inspection panels' store: one request per panel in flight, only the answer to the query on
// screen kept, a refresh asks again for what is open.
import { describe, expect, it } from 'vitest';
import type { TestPage, TestPageQuery, UnitInspection, UnitQuery } from '../../src/shared/inspect';
import { ALL_IMAGES, createInspectActions, GALLERY_PAGE, initialInspectState } from '../../src/renderer/state/inspectStore';
import { createStore } from 'zustand/vanilla';
import { createFakeApi } from './fakeApi';
import { busyStore, trackRequests } from '../../src/renderer/state/busy';
import { CANCELLED } from '../../src/shared/cancel';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((r, j) => {
    resolve = r;
    reject = j;
  });
  return { promise, resolve, reject };
}

function setup(tracked = false) {
  const api = createFakeApi();
  const pages: { query: TestPageQuery; answer: ReturnType<typeof deferred<TestPage>> }[] = [];
  const units: { query: UnitQuery; answer: ReturnType<typeof deferred<UnitInspection>> }[] = [];
  // Each request has a ticket; cancelling one rejects it with CANCELLED at once, as the real clients do.
  let ticket = 0;
  const calledOff = new Map<number, () => void>();
  const send = <T>(answer: ReturnType<typeof deferred<T>>) => {
    const mine = ++ticket;
    calledOff.set(mine, () => answer.reject(new Error(`request: ${CANCELLED}`)));
    return answer.promise;
  };
  api.lastTicket = () => ticket;
  api.cancel = (t) => calledOff.get(t)?.();
  api.testPage = (query) => {
    const answer = deferred<TestPage>();
    pages.push({ query, answer });
    return send(answer);
  };
  api.inspectUnit = (query) => {
    const answer = deferred<UnitInspection>();
    units.push({ query, answer });
    return send(answer);
  };
  const store = createStore(initialInspectState);
  // As the app has it: the requests listed in the busy list, the long ones with a Cancel.
  return { store, actions: createInspectActions(tracked ? trackRequests(api, () => 0) : api, store), pages, units };
}

const page = (query: TestPageQuery, total: number): TestPage => ({ step: 7, total, offset: query.offset, images: [] });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('inspect store', () => {
  it('asks one page at a time and keeps only the answer to the latest query', async () => {
    const { store, actions, pages } = setup();
    const opened = actions.openGallery({ label: 4, predicted: 9, correct: null }, 'confidence');
    expect(pages).toHaveLength(1);
    expect(pages[0].query).toEqual({ filter: { label: 4, predicted: 9, correct: null }, order: 'confidence', offset: 0, limit: GALLERY_PAGE });
    // Two more changes while the first is out: one more request, for the last of them.
    void actions.setGalleryQuery({ offset: 40 });
    void actions.setGalleryQuery({ order: 'index' });
    expect(pages).toHaveLength(1);
    pages[0].answer.resolve(page(pages[0].query, 12));
    await tick();
    expect(store.getState().gallery.page).toBeNull(); // the answer to an old query is dropped
    expect(pages).toHaveLength(2);
    expect(pages[1].query).toMatchObject({ order: 'index', offset: 0 });
    pages[1].answer.resolve(page(pages[1].query, 55));
    await opened;
    await tick();
    expect(store.getState().gallery.page?.total).toBe(55);
    expect(store.getState().gallery.loading).toBe(false);
  });

  it('refreshes what is open, and nothing when closed', async () => {
    const { actions, pages, units } = setup();
    await actions.refresh();
    expect(pages).toHaveLength(0);
    expect(units).toHaveLength(0);
    const opened = actions.openGallery(ALL_IMAGES, 'index');
    pages[0].answer.resolve(page(pages[0].query, 10000));
    await opened;
    const inspected = actions.inspect({ layer: 'l1', unit: 3 });
    units[0].answer.resolve({ layer: 'l1', unit: 3 } as UnitInspection);
    await inspected;
    const refreshed = actions.refresh();
    expect(pages).toHaveLength(2);
    expect(units).toHaveLength(2);
    expect(units[1].query).toEqual({ layer: 'l1', unit: 3 });
    pages[1].answer.resolve(page(pages[1].query, 10000));
    units[1].answer.resolve({ layer: 'l1', unit: 3 } as UnitInspection);
    await refreshed;
    actions.closeGallery();
    actions.closeUnit();
    await actions.refresh();
    expect(pages).toHaveLength(2);
    expect(units).toHaveLength(2);
  });

  it('shows a failure in words and keeps the panel open', async () => {
    const { store, actions, units } = setup();
    const inspected = actions.inspect({ layer: 'out', unit: 0 });
    units[0].answer.promise.catch(() => {});
    (units[0].answer as unknown as { resolve: (v: unknown) => void }).resolve(Promise.reject(new Error('out has no units to inspect')));
    await inspected;
    expect(store.getState().unit.error).toBe('out has no units to inspect');
    expect(store.getState().unit.target).toEqual({ layer: 'out', unit: 0 });
  });

  it('a cancelled request leaves the panel saying so; a new evaluation does not ask again, the learner does', async () => {
    busyStore.setState({ pending: [] });
    const { store, actions, units, pages } = setup(true);
    const inspected = actions.inspect({ layer: 'l1', unit: 3 });
    expect(store.getState().unit.loading).toBe(true);
    expect(busyStore.getState().pending.map((p) => p.method)).toEqual(['inspectUnit']);
    // A refresh asked meanwhile (the view opening, an evaluation) goes with the cancelled request: it was for the same unit.
    const refreshedMeanwhile = actions.refresh();
    actions.cancelUnit();
    await inspected;
    await refreshedMeanwhile;
    expect(units).toHaveLength(1);
    expect(store.getState().unit).toMatchObject({ loading: false, cancelled: true, error: null, target: { layer: 'l1', unit: 3 } });
    expect(busyStore.getState().pending).toEqual([]);
    // The answer that still comes is dropped.
    units[0].answer.resolve({ layer: 'l1', unit: 3 } as UnitInspection);
    await tick();
    expect(store.getState().unit.result).toBeNull();
    await actions.refresh();
    // Nor does the panel asking for the same unit again by itself (remounted, the model info redrawn).
    await actions.inspect({ layer: 'l1', unit: 3 });
    expect(units).toHaveLength(1);
    expect(store.getState().unit.cancelled).toBe(true);
    // The learner asks again: a new request, and the note goes.
    const again = actions.retryUnit();
    expect(units).toHaveLength(2);
    expect(store.getState().unit.cancelled).toBe(false);
    units[1].answer.resolve({ layer: 'l1', unit: 3 } as UnitInspection);
    await again;
    expect(store.getState().unit.result).toMatchObject({ unit: 3 });

    // The gallery the same way, from the busy list's Cancel; closing it calls off what it waits for.
    const opened = actions.openGallery(ALL_IMAGES, 'index');
    busyStore.getState().pending[0].cancel!();
    await opened;
    expect(store.getState().gallery).toMatchObject({ open: true, loading: false, cancelled: true });
    // A refresh asks for the unit (answered), not for the cancelled gallery.
    const refreshed = actions.refresh();
    expect(pages).toHaveLength(1);
    expect(units).toHaveLength(3);
    units[2].answer.resolve({ layer: 'l1', unit: 3 } as UnitInspection);
    await refreshed;
    const retried = actions.setGalleryQuery({ offset: 0 });
    expect(pages).toHaveLength(2);
    actions.closeGallery();
    await retried;
    expect(busyStore.getState().pending).toEqual([]);
  });
});

// The inspection panels' state, apart from the training store (issue 18): the test-image gallery
// (a filter, an order, a page) and the unit inspector (a layer and a unit). Both are computed by
// the training worker (shared/inspect.ts) and asked for again when a new evaluation is shown;
// one request per panel is in flight at a time, and only the latest query's answer is kept.
// A request the learner calls off (Cancel, here or in the busy list) leaves the panel saying so,
// and the panel is not asked again by itself until the learner asks (a new evaluation would
// otherwise send the same long request again).
import { createStore } from 'zustand/vanilla';
import type { DigitrainApi } from '../../shared/contract';
import type { TestFilter, TestOrder, TestPage, UnitInspection, UnitQuery } from '../../shared/inspect';
import { messageOf } from '../../shared/messageOf';
import { isCancelled } from '../../shared/cancel';
import { cancelPending } from './busy';

/** Images per gallery page: five rows of eight at 1024 px. */
export const GALLERY_PAGE = 40;

export interface GalleryQuery {
  filter: TestFilter;
  order: TestOrder;
  offset: number;
}

export interface InspectState {
  gallery: { open: boolean; query: GalleryQuery; page: TestPage | null; loading: boolean; error: string | null; cancelled: boolean };
  unit: { target: UnitQuery | null; result: UnitInspection | null; loading: boolean; error: string | null; cancelled: boolean };
}

export const ALL_IMAGES: TestFilter = { label: null, predicted: null, correct: null };

export function initialInspectState(): InspectState {
  return {
    gallery: { open: false, query: { filter: ALL_IMAGES, order: 'index', offset: 0 }, page: null, loading: false, error: null, cancelled: false },
    unit: { target: null, result: null, loading: false, error: null, cancelled: false },
  };
}

export const inspectStore = createStore<InspectState>(() => initialInspectState());
export type InspectStore = typeof inspectStore;

export interface InspectActions {
  /** Opens the gallery on these images (a confusion cell, the most confidently wrong, the whole test set). */
  openGallery(filter: TestFilter, order: TestOrder): Promise<void>;
  /** Another filter or order (back to the first page), or another page. */
  setGalleryQuery(patch: Partial<GalleryQuery>): Promise<void>;
  closeGallery(): void;
  /** Inspects a unit (or filter) of a layer. */
  inspect(target: UnitQuery): Promise<void>;
  closeUnit(): void;
  /** Asks again for what is open (a new evaluation is shown, the weights moved on); not for a panel whose request was cancelled. */
  refresh(): Promise<void>;
  /** Calls off the gallery's request in flight. */
  cancelGallery(): void;
  /** Calls off the unit inspector's request in flight. */
  cancelUnit(): void;
  /** Asks again for the unit whose request was called off. */
  retryUnit(): Promise<void>;
}

/**
 * Runs `load` now, or once more after the request in flight when one is (the latest state decides what it asks).
 * A load that answers 'stop' (its request was called off) drops the asks made meanwhile: they were for what was cancelled.
 */
function coalesced(load: () => Promise<'stop' | void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        if ((await load()) === 'stop') again = false;
      } while (again);
    })();
    try {
      await running;
    } finally {
      running = null;
    }
  };
  return run;
}

export function createInspectActions(api: DigitrainApi, store: InspectStore = inspectStore): InspectActions {
  const { getState, setState } = store;

  // The request each panel has in flight (to cancel it).
  let galleryRequest: Promise<unknown> | null = null;
  let unitRequest: Promise<unknown> | null = null;

  const loadGallery = coalesced(async () => {
    const { gallery } = getState();
    if (!gallery.open) return;
    const query = gallery.query;
    setState((s) => ({ gallery: { ...s.gallery, loading: true, cancelled: false } }));
    try {
      const request = api.testPage({ ...query, limit: GALLERY_PAGE });
      galleryRequest = request;
      const page = await request;
      // A newer query waits behind this one: only the answer to the query on screen is kept.
      setState((s) => (s.gallery.query === query ? { gallery: { ...s.gallery, page, loading: false, error: null } } : s));
    } catch (error) {
      if (isCancelled(error) && getState().gallery.query === query) {
        setState((s) => ({ gallery: { ...s.gallery, loading: false, cancelled: true } }));
        return 'stop';
      }
      if (isCancelled(error)) setState((s) => ({ gallery: { ...s.gallery, loading: false } }));
      else setState((s) => ({ gallery: { ...s.gallery, loading: false, error: `The test images could not be read: ${messageOf(error)}` } }));
    } finally {
      galleryRequest = null;
    }
  });

  const loadUnit = coalesced(async () => {
    const target = getState().unit.target;
    if (!target) return;
    setState((s) => ({ unit: { ...s.unit, loading: true, cancelled: false } }));
    try {
      const request = api.inspectUnit(target);
      unitRequest = request;
      const result = await request;
      setState((s) => (s.unit.target === target ? { unit: { ...s.unit, result, loading: false, error: null } } : s));
    } catch (error) {
      if (isCancelled(error) && getState().unit.target === target) {
        setState((s) => ({ unit: { ...s.unit, loading: false, cancelled: true } }));
        return 'stop';
      }
      if (isCancelled(error)) setState((s) => ({ unit: { ...s.unit, loading: false } }));
      else setState((s) => (s.unit.target === target ? { unit: { ...s.unit, result: null, loading: false, error: messageOf(error) } } : s));
    } finally {
      unitRequest = null;
    }
  });

  return {
    openGallery(filter, order) {
      setState((s) => ({ gallery: { ...s.gallery, open: true, query: { filter, order, offset: 0 }, page: null, error: null } }));
      return loadGallery();
    },
    setGalleryQuery(patch) {
      setState((s) => {
        const query = { ...s.gallery.query, ...patch };
        if (patch.offset === undefined) query.offset = 0;
        return { gallery: { ...s.gallery, query } };
      });
      return loadGallery();
    },
    closeGallery() {
      cancelPending(galleryRequest);
      setState((s) => ({ gallery: { ...s.gallery, open: false, page: null, cancelled: false } }));
    },
    inspect(target) {
      const { target: current, cancelled } = getState().unit;
      // The same unit again (the panel remounted, the model info redrawn): asked again, unless the learner called it off.
      if (current && current.layer === target.layer && current.unit === target.unit) return cancelled ? Promise.resolve() : loadUnit();
      setState((s) => ({ unit: { ...s.unit, target: { ...target }, error: null } }));
      return loadUnit();
    },
    closeUnit() {
      cancelPending(unitRequest);
      setState({ unit: { target: null, result: null, loading: false, error: null, cancelled: false } });
    },
    async refresh() {
      const { gallery, unit } = getState();
      await Promise.all([gallery.cancelled ? null : loadGallery(), unit.cancelled ? null : loadUnit()]);
    },
    cancelGallery() {
      cancelPending(galleryRequest);
    },
    cancelUnit() {
      cancelPending(unitRequest);
    },
    retryUnit() {
      return loadUnit();
    },
  };
}

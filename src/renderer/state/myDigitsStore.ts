// "My digits" in the renderer: the learner's labelled digits as the Node side keeps them, and
// the model's answers on them, measured again with every evaluation and whenever the set
// changes (so the accuracy shown is always of the current weights, at the step it names).
import { createStore } from 'zustand/vanilla';
import type { DigitrainApi } from '../../shared/contract';
import { messageOf } from '../../shared/messageOf';
import { digitBytes, type MyDigitsResult, type MyDigitsSet } from '../../shared/myDigits';
import { importDigitFolder } from '../images/importDigits';

export interface MyDigitsState {
  set: MyDigitsSet | null;
  result: MyDigitsResult | null;
  message: { ok: boolean; text: string } | null;
}

export const myDigitsStore = createStore<MyDigitsState>(() => ({ set: null, result: null, message: null }));

export interface MyDigitsActions {
  refresh(): Promise<void>;
  /** Keeps a digit the model reads (28×28 values in [0, 1]) under `label`. */
  keep(pixels: ArrayLike<number>, label: number): Promise<void>;
  remove(id: string): Promise<void>;
  measure(): Promise<void>;
  importFolder(files: File[]): Promise<void>;
  exportSet(): Promise<void>;
  dismiss(): void;
}

export function createMyDigitsActions(api: DigitrainApi, store = myDigitsStore): MyDigitsActions {
  const { setState } = store;
  const fail = (what: string) => (error: unknown) => setState({ message: { ok: false, text: `${what}: ${messageOf(error)}` } });

  async function measure(): Promise<void> {
    try {
      setState({ result: await api.evaluateMyDigits() });
    } catch (error) {
      fail('Your digits could not be measured')(error);
    }
  }

  async function changed(request: Promise<MyDigitsSet>, done?: string): Promise<void> {
    const set = await request;
    setState({ set, ...(done ? { message: { ok: true, text: done } } : {}) });
    await measure();
  }

  return {
    refresh: () =>
      api.listMyDigits().then(async (set) => {
        setState({ set });
        if (set.digits.length > 0) await measure();
      }, fail('Your digits could not be read')),
    keep: (pixels, label) => changed(api.addMyDigits({ labels: [label], pixels: digitBytes(pixels) }), `Kept as a ${label}.`).catch(fail('The digit could not be kept')),
    remove: (id) => changed(api.deleteMyDigit(id)).catch(fail('The digit could not be deleted')),
    measure,
    async importFolder(files) {
      try {
        const { digits, skipped } = await importDigitFolder(files);
        const note = skipped.length > 0 ? ` Skipped: ${skipped.slice(0, 3).join('; ')}${skipped.length > 3 ? ` and ${skipped.length - 3} more` : ''}.` : '';
        if (!digits) {
          setState({ message: { ok: false, text: `No digits were imported.${note}` } });
          return;
        }
        await changed(api.addMyDigits(digits), `Imported ${digits.labels.length} digit(s).${note}`);
      } catch (error) {
        fail('The folder could not be imported')(error);
      }
    },
    async exportSet() {
      try {
        const result = await api.exportMyDigits();
        if (result.saved) setState({ message: { ok: true, text: `Exported to ${result.name}` } });
      } catch (error) {
        fail('Your digits could not be exported')(error);
      }
    },
    dismiss: () => setState({ message: null }),
  };
}

/** Takes each evaluation's measure of the set; reads the set at start and after a reconnection. */
export function connectMyDigits(api: DigitrainApi, actions: MyDigitsActions, store = myDigitsStore): () => void {
  void actions.refresh();
  const offs = [
    api.on('evaluation', (evaluation) => {
      if (evaluation.myDigits !== undefined) store.setState({ result: evaluation.myDigits });
    }),
    api.on('connection', ({ connected }) => {
      if (connected) void actions.refresh();
    }),
  ];
  return () => offs.forEach((off) => off());
}

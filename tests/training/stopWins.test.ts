// Issue 25, point 8: Stop must win. The page's buttons (renderer/state/actions.ts) drive a real
// TrainingSession whose steps are slowed as DIGITRAIN_TEST_STEP_DELAY_MS slows the worker's
// (testStepDelay.ts), through a link that behaves like the hosts': requests reach the trainer
// in order, one at a time, each a while after it was sent; answers and events come back in
// order. Train, Stop, ×10 and Step are pressed in every order, right after a settings edit
// (whose live apply is then still waiting), from a training run and from an idle one. Each time
// Stop ends training within one step batch and for good, and from the press until the trainer
// has stopped the page says "Stopping…", never "Training".
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { loadMnist } from '../../src/main/data/loadMnist';
import { TrainingSession } from '../../src/main/training/session';
import { blockFor } from '../../src/main/training/testStepDelay';
import { Trainer } from '../../src/main/training/trainer';
import { createActions } from '../../src/renderer/state/actions';
import { connectStore } from '../../src/renderer/state/connect';
import { initialUiState, shownStatus, type UiState } from '../../src/renderer/state/store';
import { STEP_BURST, type DigitrainApi, type EventMap, type EventName } from '../../src/shared/contract';
import { waitFor } from '../app/helpers';
import { mlpConfig } from '../weights/helpers';

const mnist = loadMnist();
const data = { train: mnist.train, test: { ...mnist.test, count: 100, images: mnist.test.images.subarray(0, 100 * 784), labels: mnist.test.labels.subarray(0, 100) } };

/** Each step takes this much longer (a slow machine): longer than the trainer's 20 ms slice, so a slice is one step. */
const STEP_DELAY_MS = 25;
/** Each way between the page and the trainer. */
const LINK_MS = 4;
/** The live settings' pause after the last keystroke (the app's is 600 ms; shortened so it falls among the presses). */
const APPLY_DELAY_MS = 6;
/** Between two presses. */
const PRESS_GAP_MS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `condition`; on timeout, fails saying `what()` as it is then. */
async function until(condition: () => boolean, what: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await sleep(5);
  }
}

type Listener = (payload: unknown) => void;

/**
 * The page's API over a link like the hosts': ordered, one request at a time, LINK_MS each way.
 * While `hold` is set, nothing comes back to the page (a loaded machine: answers and events
 * queue up, the page still shows what it last heard); `release` lets it all through, in order.
 */
function link(session: { current: TrainingSession }, listeners: Map<EventName, Set<Listener>>) {
  let queue: Promise<void> = Promise.resolve();
  let held: (() => void)[] | null = null;
  const deliver = (fn: () => void) => {
    if (held) held.push(fn);
    else setTimeout(fn, LINK_MS);
  };
  const hold = () => {
    held ??= [];
  };
  const release = () => {
    const fns = held ?? [];
    held = null;
    for (const fn of fns) setTimeout(fn, LINK_MS);
  };
  const call = <T>(run: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue = queue.then(async () => {
        await sleep(LINK_MS);
        try {
          const result = structuredClone(run());
          deliver(() => resolve(result));
        } catch (error) {
          deliver(() => reject(error));
        }
      });
    });
  const api = {
    on(event: EventName, listener: Listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    getState: () => call(() => session.current.getState()),
    train: (config) => call(() => session.current.train(config)),
    applySettings: (config) => call(() => session.current.applyLive(config)),
    step: (config, count) => call(() => session.current.step(config, count)),
    stop: () => call(() => session.current.stop()),
    classify: (pixels) => call(() => session.current.classify(pixels)),
  } as Partial<DigitrainApi> as DigitrainApi;
  return { api, deliver, hold, release };
}

type Press = 'train' | 'stop' | 'x10' | 'step';

function orders(items: Press[]): Press[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('Stop must win (issue 25, point 8)', () => {
  it('Train, Stop, ×10 and Step in every order, after a settings edit, on a slow trainer: Stop ends training within one step batch, and "Stopping…" shows until it has', async () => {
    const listeners = new Map<EventName, Set<Listener>>();
    const holder = {} as { current: TrainingSession };
    const { api, deliver, hold, release } = link(holder, listeners);
    holder.current = new TrainingSession({
      createTrainer: (config) => {
        const trainer = new Trainer(data, config);
        const step = trainer.trainStep.bind(trainer);
        trainer.trainStep = (probe) => {
          blockFor(STEP_DELAY_MS);
          return step(probe);
        };
        return trainer;
      },
      emit: <E extends EventName>(event: E, payload: EventMap[E]) => {
        const copy = structuredClone(payload);
        deliver(() => listeners.get(event)?.forEach((l) => l(copy)));
      },
      evaluationDue: () => false,
    });
    const session = holder.current;
    session.reset(mlpConfig(16));
    const store = createStore<UiState>(() => initialUiState());
    const disconnect = connectStore(api, store, (flush) => {
      flush();
      return () => {};
    });
    const actions = createActions(api, store, APPLY_DELAY_MS);
    await waitFor(() => store.getState().connection === 'ready', 'the page to connect');

    const all = orders(['train', 'stop', 'x10', 'step']);
    expect(all).toHaveLength(24);
    let lr = 0.001;
    const failures: string[] = [];
    for (const from of ['training', 'idle'] as const) {
      for (const order of all) {
        const name = `from ${from}: ${order.join(', ')}`;
        if (from === 'training') {
          await actions.train();
          await waitFor(() => store.getState().status === 'training' && session.getState().step > 0, `${name}: training to start`);
        }
        // A settings edit: while training, its live apply waits APPLY_DELAY_MS and then falls among the presses.
        lr = lr === 0.001 ? 0.002 : 0.001;
        actions.setDraft({ optimizer: { type: 'adam', hyper: { lr } } });
        const shown: string[] = [];
        let pressed = false;
        let stepsAtPress = 0;
        const unsubscribe = store.subscribe((s) => {
          if (pressed) shown.push(shownStatus(s));
        });
        // The presses, with the page hearing nothing back meanwhile (as under heavy load).
        hold();
        const done: Promise<void>[] = [];
        for (const press of order) {
          if (press === 'stop') {
            pressed = true;
            stepsAtPress = session.getState().step;
            done.push(actions.stop());
          } else if (press === 'train') done.push(actions.train());
          else done.push(actions.step(press === 'x10' ? STEP_BURST : 1));
          await sleep(PRESS_GAP_MS);
        }
        // The live apply's pause has passed: with it, anything the page meant to send is on its way.
        await sleep(APPLY_DELAY_MS + LINK_MS);
        release();
        await Promise.all(done);
        await until(
          () => !store.getState().stopRequested && session.getState().status !== 'training',
          () => `${name}: the trainer to stop (page ${store.getState().status} ${store.getState().stopRequested}, trainer ${session.getState().status}, ${failures.join(' | ')})`,
        );
        const stoppedAt = session.getState().step;
        // For good: long enough for a re-armed loop, a late live apply or a queued Train to run many steps.
        await sleep(8 * STEP_DELAY_MS + 4 * (APPLY_DELAY_MS + 2 * LINK_MS));
        unsubscribe();
        const after = session.getState();
        const problems: string[] = [];
        if (after.status === 'training') problems.push('training again after Stop');
        if (after.step !== stoppedAt) problems.push(`${after.step - stoppedAt} steps after it stopped`);
        // One step batch: at most a ×10 (pressed before the Stop) and the step in progress when the Stop arrived.
        if (stoppedAt - stepsAtPress > STEP_BURST + 1) problems.push(`${stoppedAt - stepsAtPress} steps between the press and the stop`);
        const stoppedShown = shown.findIndex((s) => s !== 'training' && s !== 'stopping');
        if (shown.slice(0, stoppedShown < 0 ? undefined : stoppedShown).includes('training')) problems.push(`"Training" shown after the press (${shown.join(' → ')})`);
        if (from === 'training' && shown[0] !== 'stopping') problems.push(`the press showed ${shown[0]}, not "Stopping…"`);
        if (store.getState().status !== after.status) problems.push(`the page says ${store.getState().status}, the trainer ${after.status}`);
        if (problems.length > 0) failures.push(`${name}: ${problems.join('; ')}`);
        // Idle again before the next order (an error, e.g. a Step refused while training, is not what is tested here).
        await until(
          () => store.getState().status === session.getState().status && session.getState().status !== 'training',
          () => `${name}: settle (page ${store.getState().status}, trainer ${session.getState().status}, ${failures.join(' | ')})`,
        );
      }
    }
    disconnect();
    expect(failures).toEqual([]);
  }, 900_000);
});

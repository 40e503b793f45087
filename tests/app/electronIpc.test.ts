// The Electron IPC wiring without Electron (its binary is not always available): a fake
// ipcMain records the handlers, and the tests call them as Electron would.
import { describe, expect, test, vi } from 'vitest';

const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  },
  protocol: {},
}));

const { wireIpc } = await import('../../src/main/electron/ipc');
const { CONTRACT_VERSION } = await import('../../src/shared/contract');
const { createRequestHandlers } = await import('../../src/main/training/requestHandlers');
const { currentRequestSignal } = await import('../../src/main/training/cancelBoard');
type Host = import('../../src/main/training/trainingHost').TrainingHost;

function fakeWorld() {
  const sent: unknown[] = [];
  const mainFrame = { url: 'app://digitrain/index.html' };
  const webContents = { mainFrame, send: (channel: string, message: unknown) => sent.push({ channel, message }) };
  const window = { isDestroyed: () => false, webContents };
  const calls: { type: string; args: unknown }[] = [];
  const eventListeners = new Map<string, (payload: unknown) => void>();
  const host = {
    request: async (type: string, args: unknown) => {
      calls.push({ type, args });
      return { status: 'idle', type };
    },
    on: (event: string, listener: (payload: unknown) => void) => {
      eventListeners.set(event, listener);
      return () => eventListeners.delete(event);
    },
  } as unknown as Host;
  const unwire = wireIpc(window as never, host, createRequestHandlers(host));
  const ours = { sender: webContents, senderFrame: mainFrame };
  return { sent, calls, eventListeners, unwire, ours, mainFrame, webContents, host };
}

describe('Electron IPC', () => {
  test('a request from our window is validated and reaches the training host', async () => {
    const world = fakeWorld();
    const reply = await handlers.get('digitrain:train')!(world.ours, { v: CONTRACT_VERSION, args: [{ batchSize: 16 }] });
    expect(reply).toEqual({ v: CONTRACT_VERSION, ok: true, result: { status: 'idle', type: 'train' } });
    expect(world.calls).toEqual([{ type: 'train', args: { config: { batchSize: 16 } } }]);
    world.unwire();
  });

  test('requests from another frame, another page or another webContents are refused', async () => {
    const world = fakeWorld();
    const train = handlers.get('digitrain:train')!;
    const subframe = { sender: world.webContents, senderFrame: { url: 'app://digitrain/index.html' } };
    const elsewhere = { sender: world.webContents, senderFrame: world.mainFrame };
    world.mainFrame.url = 'https://evil.example/';
    expect(await train(elsewhere, { v: CONTRACT_VERSION, args: [{}] })).toMatchObject({ ok: false, error: expect.stringMatching(/does not come from the Digitrain window/) });
    world.mainFrame.url = 'app://digitrain/index.html';
    expect(await train(subframe, { v: CONTRACT_VERSION, args: [{}] })).toMatchObject({ ok: false, error: expect.stringMatching(/refused/) });
    expect(await train({ sender: {}, senderFrame: world.mainFrame }, { v: CONTRACT_VERSION, args: [{}] })).toMatchObject({ ok: false });
    expect(world.calls).toEqual([]);
    world.unwire();
  });

  test('bad arguments and versions are answered with clear errors, never thrown', async () => {
    const world = fakeWorld();
    const classify = handlers.get('digitrain:classify')!;
    expect(await classify(world.ours, { v: CONTRACT_VERSION, args: [[0.5]] })).toMatchObject({
      ok: false,
      error: 'classify: pixels must be 784 numbers in [0, 1] (got 1 values)',
    });
    expect(await classify(world.ours, { v: 0, args: [] })).toMatchObject({ ok: false, error: expect.stringMatching(/version mismatch/) });
    expect(await classify(world.ours, null)).toMatchObject({ ok: false });
    expect(await handlers.get('digitrain:exportWeights')!(world.ours, { v: CONTRACT_VERSION, args: ['onnx'] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not available/),
    });
    expect(world.calls).toEqual([]);
    world.unwire();
  });

  test('events go to the window; unwiring removes every handler and subscription', () => {
    const world = fakeWorld();
    world.eventListeners.get('metrics')!({ firstStep: 1, loss: [1], accuracy: [0], samplesPerSecond: 1, epoch: 0 });
    expect(world.sent).toEqual([
      { channel: 'digitrain:event', message: { v: CONTRACT_VERSION, event: 'metrics', payload: { firstStep: 1, loss: [1], accuracy: [0], samplesPerSecond: 1, epoch: 0 } } },
    ]);
    world.unwire();
    expect(handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
    expect(world.eventListeners.size).toBe(0);
  });

  test("a ticket sent on the cancel channel aborts that request's signal, only from our window", async () => {
    const world = fakeWorld();
    const signals: (AbortSignal | undefined)[] = [];
    (world.host as unknown as { request: () => Promise<unknown> }).request = () => {
      const signal = currentRequestSignal();
      signals.push(signal);
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('inspectUnit: cancelled'))));
    };
    const inspect = handlers.get('digitrain:inspectUnit')!;
    const first = inspect(world.ours, { v: CONTRACT_VERSION, args: [{ layer: 'l1', unit: 1 }], ticket: 41 });
    const second = inspect(world.ours, { v: CONTRACT_VERSION, args: [{ layer: 'l1', unit: 2 }], ticket: 42 });
    const cancel = listeners.get('digitrain:cancel')!;
    cancel({ sender: {}, senderFrame: world.mainFrame }, { v: CONTRACT_VERSION, cancel: 42 });
    expect(signals.map((s) => s?.aborted)).toEqual([false, false]);
    cancel(world.ours, { v: CONTRACT_VERSION, cancel: 42 });
    expect(signals.map((s) => s?.aborted)).toEqual([false, true]);
    expect(await second).toEqual({ v: CONTRACT_VERSION, ok: false, error: 'inspectUnit: cancelled' });
    cancel(world.ours, { v: CONTRACT_VERSION, cancel: 41 });
    expect(await first).toMatchObject({ ok: false, error: 'inspectUnit: cancelled' });
    world.unwire();
  });
});

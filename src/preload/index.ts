// The preload exposes the contract to the sandboxed renderer as `window.digitrain`.
// Sandboxed preloads are CommonJS and may only use a few Electron modules; electron-vite
// bundles the shared constants in. The renderer gets functions only, never ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import { CONTRACT_VERSION, type DigitrainApi, type EventMap, type EventName } from '../shared/contract';
import { trainingRequests } from '../shared/trainingRequests';
import { IPC_CANCEL_CHANNEL, IPC_EVENT_CHANNEL, ipcChannel, type RequestName, type IpcReply, type RpcEvent } from '../shared/rpc';
import { CANCELLED, type RpcCancel } from '../shared/cancel';

type AnyListener = (payload: EventMap[EventName]) => void;
const listeners = new Map<EventName, Set<AnyListener>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: RpcEvent) => {
  if (message?.v !== CONTRACT_VERSION) return;
  for (const listener of [...(listeners.get(message.event) ?? [])]) {
    try {
      listener(message.payload);
    } catch (error) {
      console.error(`digitrain: a '${message.event}' listener threw`, error);
    }
  }
});

// Each request carries a ticket, so that the page can call it off (shared/cancel.ts): the
// promise rejects at once, and main tells the trainer.
let lastTicket = 0;
const cancellers = new Map<number, () => void>();

function call(method: RequestName, args: unknown[]): Promise<unknown> {
  const ticket = ++lastTicket;
  return new Promise((resolve, reject) => {
    cancellers.set(ticket, () => reject(new Error(`${method}: ${CANCELLED}`)));
    (ipcRenderer.invoke(ipcChannel(method), { v: CONTRACT_VERSION, args, ticket }) as Promise<IpcReply>)
      .then((reply) => (reply.ok ? resolve(reply.result) : reject(new Error(reply.error))), reject)
      .finally(() => cancellers.delete(ticket));
  });
}

function cancel(ticket: number): void {
  const calledOff = cancellers.get(ticket);
  if (!calledOff) return;
  cancellers.delete(ticket);
  calledOff();
  ipcRenderer.send(IPC_CANCEL_CHANNEL, { v: CONTRACT_VERSION, cancel: ticket } satisfies RpcCancel);
}

const api: DigitrainApi = {
  ...trainingRequests(call),
  saveWeights: (options) => call('saveWeights', [options]) as ReturnType<DigitrainApi['saveWeights']>,
  // Electron opens the file dialog in main; a file given by the page (e.g. dropped) is passed on.
  loadWeights: (file) => call('loadWeights', file ? [file] : []) as ReturnType<DigitrainApi['loadWeights']>,
  exportWeights: (format) => call('exportWeights', [format]) as ReturnType<DigitrainApi['exportWeights']>,
  exportRun: (id, format) => call('exportRun', format ? [id, format] : [id]) as ReturnType<DigitrainApi['exportRun']>,
  lastTicket: () => lastTicket,
  cancel,
  on(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as AnyListener);
    return () => {
      set.delete(listener as AnyListener);
    };
  },
};

contextBridge.exposeInMainWorld('digitrain', api);

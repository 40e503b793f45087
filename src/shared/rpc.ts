// The envelopes that carry `DigitrainApi` calls across a process boundary: the web host's
// WebSocket (encoded with wire.ts) and Electron's IPC (structured clone). Both carry
// CONTRACT_VERSION so a stale renderer gets a clear error instead of odd behaviour.
import type { CancelApi } from './cancel';
import type { DigitrainApi, EventMap, EventName } from './contract';
import { ownValue } from './ownKeys';

/** Every request of the contract, by name (everything on the API except `on` and cancelling, which is the client's own). */
export type RequestName = Exclude<keyof DigitrainApi, 'on' | keyof CancelApi>;
export type RequestArgs<K extends RequestName> = Parameters<DigitrainApi[K]>;
export type RequestResult<K extends RequestName> = Awaited<ReturnType<DigitrainApi[K]>>;

/** Every request, checked against DigitrainApi by the compiler. */
export const REQUEST_NAMES = Object.keys({
  getState: true,
  train: true,
  applySettings: true,
  step: true,
  stop: true,
  restoreBest: true,
  reset: true,
  evaluate: true,
  classify: true,
  saveWeights: true,
  loadWeights: true,
  exportWeights: true,
  listRuns: true,
  getRuns: true,
  renameRun: true,
  deleteRun: true,
  openRun: true,
  exportRun: true,
  listMyDigits: true,
  addMyDigits: true,
  deleteMyDigit: true,
  evaluateMyDigits: true,
  exportMyDigits: true,
  // Looking inside the network (shared/inspect.ts).
  testPage: true,
  inspectUnit: true,
  explain: true,
  getHealth: true,
  // How it works (shared/stepGraph.ts).
  stepGraph: true,
} satisfies Record<RequestName, true>) as readonly RequestName[];

export interface RpcRequest {
  v: number;
  id: number;
  method: RequestName;
  args: unknown[];
}

export type RpcReply = { v: number; id: number; ok: true; result: unknown } | { v: number; id: number | null; ok: false; error: string };

export interface RpcEvent<E extends EventName = EventName> {
  v: number;
  event: E;
  payload: EventMap[E];
}

export type RpcServerMessage = RpcReply | RpcEvent;

/**
 * Client → web host, after a weights snapshot has been handed to the listeners. The host
 * keeps at most one snapshot in flight per client (holding back only the latest), so a
 * busy page is never buried under 400 kB frames that delay status and metrics behind them.
 */
export interface RpcAck {
  v: number;
  ack: 'weights';
}

export function isRpcAck(message: unknown): message is RpcAck {
  return message !== null && typeof message === 'object' && ownValue(message, 'ack') === 'weights';
}

/** Electron's `invoke` pairs replies with calls itself, so IPC replies carry no id. */
export type IpcReply = { v: number; ok: true; result: unknown } | { v: number; ok: false; error: string };

/** The WebSocket endpoint's path on the web host. */
export const WS_PATH = '/ws';

/** Electron IPC channels: one `invoke` channel per request, one channel for all events. */
export const IPC_REQUEST_PREFIX = 'digitrain:';
export const IPC_EVENT_CHANNEL = 'digitrain:event';
/** Electron: the renderer calls off a request by the ticket its envelope carried (shared/cancel.ts). */
export const IPC_CANCEL_CHANNEL = 'digitrain:cancel';
export function ipcChannel(method: RequestName): string {
  return IPC_REQUEST_PREFIX + method;
}

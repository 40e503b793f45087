// The contract over the web host's WebSocket: what `window.digitrain` is in a browser.
//
// Requests made while the socket is (re)connecting wait for it; when the connection
// drops, every pending request is rejected (a request may or may not have reached the
// trainer, so it is never replayed) and the client reconnects with back-off.
// Each open and drop is reported as a `connection` event, so the UI can reload the state.
import { CONTRACT_VERSION, type DigitrainApi, type EventMap, type EventName, type LoadResult, type SaveResult, type WeightsFileBytes } from '../../shared/contract';
import { WS_PATH, type RequestName, type RpcAck, type RpcRequest, type RpcServerMessage } from '../../shared/rpc';
import type { WebSaveReply } from '../../shared/weightsFiles';
import { trainingRequests } from '../../shared/trainingRequests';
import { decodeWire, encodeWire, type WireData } from '../../shared/wire';
import { CANCELLED, type RpcCancel } from '../../shared/cancel';

export interface WebClient extends DigitrainApi {
  /** Closes the socket for good; pending and later requests are rejected. */
  close(): void;
}

export interface WebClientOptions {
  /** Defaults to ws://<this page's host>/ws. */
  url?: string;
  /** A request with no answer after this long is rejected (ms); evaluation of the test set takes a while. */
  timeoutMs?: number;
  /** The WebSocket constructor (tests in Node pass the `ws` package's). */
  WebSocketImpl?: typeof WebSocket;
  /** Downloads and uploads of weights files (the page passes browserFiles.ts); without it, save/load reject. */
  files?: WeightsFileTransfer;
}

/** Moves weights files between the user and the client: the web host only deals in bytes. */
export interface WeightsFileTransfer {
  download(file: WeightsFileBytes): void;
  /** The file the user chose, or null if they cancelled. */
  pick(accept?: string): Promise<WeightsFileBytes | null>;
}

interface Pending {
  method: RequestName;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

type AnyListener = (payload: EventMap[EventName]) => void;

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

export function defaultSocketUrl(): string {
  // Via globalThis: this file is also compiled for Node, where the tests run it with `ws`.
  const { protocol, host } = (globalThis as unknown as { location: { protocol: string; host: string } }).location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${WS_PATH}`;
}

export function createWebClient(options: WebClientOptions = {}): WebClient {
  const url = options.url ?? defaultSocketUrl();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const Impl = options.WebSocketImpl ?? WebSocket;
  const listeners = new Map<EventName, Set<AnyListener>>();
  const pending = new Map<number, Pending>();
  const queue: WireData[] = [];
  let socket: WebSocket | null = null;
  let nextId = 1;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`digitrain: a '${event}' listener threw`, error);
      }
    }
  }

  function reportConnection(connected: boolean): void {
    emit('connection', { connected });
  }

  function connect(): void {
    if (closed || socket) return;
    const ws = new Impl(url);
    ws.binaryType = 'arraybuffer'; // messages with typed arrays are binary frames (wire.ts)
    socket = ws;
    ws.onopen = () => {
      retryMs = RETRY_MIN_MS;
      for (const data of queue.splice(0)) ws.send(data);
      reportConnection(true);
    };
    ws.onmessage = (message: MessageEvent) => {
      if (typeof message.data === 'string' || message.data instanceof ArrayBuffer) receive(message.data);
    };
    ws.onclose = (event: { reason?: string }) => {
      if (socket !== ws) return;
      socket = null;
      const wasPending = pending.size > 0;
      // The host says why when it drops a client (e.g. one that stopped reading its messages).
      const lost = event.reason ? `the Digitrain host closed the connection (${event.reason})` : 'the connection to the Digitrain host was lost';
      failAll(closed ? 'the connection was closed' : lost);
      queue.length = 0;
      reportConnection(false);
      if (!closed && (wasPending || listeners.size > 0)) scheduleReconnect();
    };
    ws.onerror = () => {
      // onclose follows and does the work
    };
  }

  function scheduleReconnect(): void {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  function receive(data: string | ArrayBuffer): void {
    let message: RpcServerMessage;
    try {
      message = decodeWire(data) as RpcServerMessage;
    } catch (error) {
      console.error('digitrain: unreadable message from the host', error);
      return;
    }
    if ('event' in message) {
      emit(message.event, message.payload);
      // Ask for the next snapshot only once this one has been handled (see RpcAck).
      if (message.event === 'weights') sendAck();
      return;
    }
    if (message.id === null) {
      if (!message.ok) console.error(`digitrain: the host rejected a message: ${message.error}`);
      return;
    }
    const request = pending.get(message.id);
    if (!request) return;
    pending.delete(message.id);
    clearTimeout(request.timer);
    if (message.ok) request.resolve(message.result);
    else request.reject(new Error(message.error));
  }

  function sendAck(): void {
    const ack: RpcAck = { v: CONTRACT_VERSION, ack: 'weights' };
    if (socket && socket.readyState === Impl.OPEN) socket.send(encodeWire(ack));
  }

  function failAll(reason: string): void {
    const all = [...pending.values()];
    pending.clear();
    for (const request of all) {
      clearTimeout(request.timer);
      request.reject(new Error(`${request.method}: ${reason}`));
    }
  }

  function call(method: RequestName, args: unknown[]): Promise<unknown> {
    if (closed) return Promise.reject(new Error(`${method}: the connection was closed`));
    const id = nextId++;
    const envelope: RpcRequest = { v: CONTRACT_VERSION, id, method, args };
    const data = encodeWire(envelope);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no answer from the Digitrain host after ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      pending.set(id, { method, resolve, reject, timer });
      connect();
      if (socket && socket.readyState === Impl.OPEN) socket.send(data);
      else queue.push(data);
    });
  }

  /** Stops waiting for request `id` and tells the host, which does not run it (or stops it) and does not answer. */
  function cancel(id: number): void {
    const request = pending.get(id);
    if (!request) return;
    pending.delete(id);
    clearTimeout(request.timer);
    request.reject(new Error(`${request.method}: ${CANCELLED}`));
    const data = encodeWire({ v: CONTRACT_VERSION, cancel: id } satisfies RpcCancel);
    // Behind the request itself if that still waits for the socket.
    if (socket && socket.readyState === Impl.OPEN) socket.send(data);
    else queue.push(data);
  }

  function noFiles(action: string): Promise<never> {
    return Promise.reject(new Error(`${action}: file downloads and uploads are not available in this client`));
  }

  /** The host answers saveWeights/exportWeights/exportRun with the bytes; the user gets them as a download. */
  async function download(method: 'saveWeights' | 'exportWeights' | 'exportRun', ...args: unknown[]): Promise<SaveResult> {
    const files = options.files;
    if (!files) return noFiles(method);
    const { saved, name, file } = (await call(method, args)) as WebSaveReply;
    files.download(file);
    if (file.companion) files.download(file.companion);
    return file.companion ? { saved, name, companion: file.companion.name } : { saved, name };
  }

  const api: WebClient = {
    ...trainingRequests(call),
    saveWeights: (saveOptions) => download('saveWeights', saveOptions),
    loadWeights: (file) => {
      // Without a file, open the picker now, synchronously inside the click that asked (browsers require a user gesture).
      const chosen = file ? Promise.resolve(file) : options.files ? options.files.pick() : noFiles('loadWeights');
      return chosen.then((picked) => (picked ? (call('loadWeights', [picked]) as Promise<LoadResult>) : { loaded: false, name: null, evaluation: null }));
    },
    exportWeights: (format) => download('exportWeights', format),
    exportRun: (id, format) => (format ? download('exportRun', id, format) : download('exportRun', id)),
    lastTicket: () => nextId - 1,
    cancel,
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as AnyListener);
      connect(); // events flow as soon as someone listens
      return () => {
        set.delete(listener as AnyListener);
        if (set.size === 0 && listeners.get(event) === set) listeners.delete(event);
      };
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      socket = null;
      failAll('the connection was closed');
      queue.length = 0;
      ws?.close();
    },
  };
  return api;
}

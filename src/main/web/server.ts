// The browser host: serves the built renderer and carries the contract over a WebSocket.
//
// Binds to 127.0.0.1 only. Requests must come from a page this server served (Host and
// Origin are checked), so another website open in the same browser cannot drive the
// trainer through localhost.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CONTRACT_VERSION, NODE_EVENT_NAMES } from '../../shared/contract';
import { WS_PATH, isRpcAck, type RpcReply } from '../../shared/rpc';
import { readRequestId, validateRpcRequest } from '../../shared/validate';
import { decodeWire, encodeWire, type WireData } from '../../shared/wire';
import { createRequestHandlers, handleRequest, type WeightsHandlers } from '../training/requestHandlers';
import { TrainingHost } from '../training/trainingHost';
import { serveStatic } from './staticFiles';
import { createWebWeightsHandlers } from './webWeights';
import { contentSecurityPolicy } from '../security/csp';
import { messageOf } from '../../shared/messageOf';

export const DEFAULT_PORT = 5317;
/** Requests are small, except weights files uploaded from the browser (≤ 64 MB). */
const MAX_MESSAGE_BYTES = 96 << 20;

export interface WebServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer; defaults to out/renderer of this checkout. */
  rootDir?: string;
  /** Defaults to a new host with its own worker, disposed on close. */
  trainingHost?: TrainingHost;
  weights?: Partial<WeightsHandlers>;
}

export interface WebServer {
  url: string;
  port: number;
  trainingHost: TrainingHost;
  close(): Promise<void>;
}

export function defaultRendererRoot(): string {
  return fileURLToPath(new URL('../../../out/renderer/', import.meta.url));
}

export function webContentSecurityPolicy(port: number): string {
  return contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
}

export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const root = options.rootDir ?? defaultRendererRoot();
  const ownsHost = !options.trainingHost;
  const host = options.trainingHost ?? new TrainingHost();
  const handlers = createRequestHandlers(host, options.weights ?? createWebWeightsHandlers(host));
  let port = options.port ?? DEFAULT_PORT;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server: Server = createServer((request, response) => {
    if (!allowedHosts().has(request.headers.host ?? '')) {
      response.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('wrong host\n');
      return;
    }
    response.setHeader('Content-Security-Policy', webContentSecurityPolicy(port));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    serveStatic(root, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const origin = request.headers.origin;
    const trusted = allowedHosts().has(request.headers.host ?? '') && (origin === undefined || allowedOrigins().has(origin));
    if (path !== WS_PATH || !trusted) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  });

  // Weight snapshots: one in flight per client until it acks; meanwhile only the latest waits.
  const snapshotInFlight = new WeakSet<WebSocket>();
  const heldSnapshot = new WeakMap<WebSocket, WireData>();
  function sendSnapshot(client: WebSocket, data: WireData): void {
    if (snapshotInFlight.has(client)) {
      heldSnapshot.set(client, data);
      return;
    }
    snapshotInFlight.add(client);
    send(client, data);
  }
  function snapshotAcked(client: WebSocket): void {
    snapshotInFlight.delete(client);
    const held = heldSnapshot.get(client);
    heldSnapshot.delete(client);
    if (held !== undefined) sendSnapshot(client, held);
  }

  wss.on('connection', (client: WebSocket) => {
    client.on('message', (data: RawData, isBinary: boolean) => {
      void answer(client, data, isBinary);
    });
    client.on('error', () => client.terminate());
  });

  async function answer(client: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    let id: number | null = null;
    let reply: RpcReply;
    try {
      const message = decodeWire(isBinary ? rawToBytes(data) : rawToBytes(data).toString('utf8'));
      if (isRpcAck(message)) {
        snapshotAcked(client);
        return;
      }
      id = readRequestId(message);
      const request = validateRpcRequest(message);
      reply = { v: CONTRACT_VERSION, id: request.id, ok: true, result: await handleRequest(handlers, request) };
    } catch (error) {
      reply = { v: CONTRACT_VERSION, id, ok: false, error: messageOf(error) };
    }
    let encoded: WireData;
    try {
      encoded = encodeWire(reply);
    } catch (error) {
      // A result JSON cannot carry must still be answered (and must not become an unhandled rejection).
      encoded = encodeWire({ v: CONTRACT_VERSION, id, ok: false, error: `the answer could not be sent: ${(error as Error).message}` });
    }
    send(client, encoded);
  }

  // One encoding per event, shared by every client.
  const unsubscribe = NODE_EVENT_NAMES.map((event) =>
    host.on(event, (payload) => {
      if (wss.clients.size === 0) return;
      const data = encodeWire({ v: CONTRACT_VERSION, event, payload });
      for (const client of wss.clients) {
        if (event === 'weights') sendSnapshot(client, data);
        else send(client, data);
      }
    }),
  );

  try {
    await new Promise<void>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', rejectListen);
        resolveListen();
      });
    });
  } catch (error) {
    // e.g. EADDRINUSE: leave nothing behind.
    for (const off of unsubscribe) off();
    wss.close();
    if (ownsHost) await host.dispose();
    throw error;
  }
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    trainingHost: host,
    close() {
      closing ??= (async () => {
        for (const off of unsubscribe) off();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        if (ownsHost) await host.dispose();
      })();
      return closing;
    },
  };
}

function send(client: WebSocket, data: WireData): void {
  if (client.readyState === client.OPEN) client.send(data, { binary: typeof data !== 'string' });
}

function rawToBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

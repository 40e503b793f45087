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
import { isRpcCancel } from '../../shared/cancel';
import { readRequestId, validateRpcRequest } from '../../shared/validate';
import { decodeWire, encodeWire, type WireData } from '../../shared/wire';
import { ownValue } from '../../shared/ownKeys';
import { createRequestHandlers, handleRequest, type WeightsHandlers } from '../training/requestHandlers';
import { TrainingHost } from '../training/trainingHost';
import { serveStatic } from './staticFiles';
import { createWebWeightsHandlers } from './webWeights';
import { createWebDataServices } from './webData';
import { messageOf } from '../../shared/messageOf';
import { ClientChannel, DEFAULT_CLIENT_LIMITS, type ClientLimits, type ClientStats } from './clientChannel';
import { MAX_FRAME_BYTES, oversizeFrame, requestTooLarge } from './requestLimits';
import { rawHttpResponse, securityHeaders } from './securityHeaders';

export { webContentSecurityPolicy } from './securityHeaders';

export const DEFAULT_PORT = 5317;

export interface WebServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer; defaults to out/renderer of this checkout. */
  rootDir?: string;
  /** Defaults to a new host with its own worker, disposed on close. */
  trainingHost?: TrainingHost;
  weights?: Partial<WeightsHandlers>;
  /** Where runs and the learner's digits are kept (files/dataDir.ts); without it, those requests answer "not available". */
  dataDir?: string;
  /** Per-client bounds (clientChannel.ts); tests lower them. */
  clientLimits?: Partial<ClientLimits>;
}

export interface WebServer {
  url: string;
  port: number;
  trainingHost: TrainingHost;
  /** Each connected client's backlog, for diagnostics and tests. */
  clientStats(): ClientStats[];
  close(): Promise<void>;
}

export function defaultRendererRoot(): string {
  return fileURLToPath(new URL('../../../out/renderer/', import.meta.url));
}

export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const root = options.rootDir ?? defaultRendererRoot();
  const ownsHost = !options.trainingHost;
  const host = options.trainingHost ?? new TrainingHost();
  const data = options.dataDir === undefined ? null : createWebDataServices(host, options.dataDir);
  const handlers = createRequestHandlers(host, options.weights ?? createWebWeightsHandlers(host), data?.handlers);
  let port = options.port ?? DEFAULT_PORT;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server: Server = createServer((request, response) => {
    for (const [name, value] of Object.entries(securityHeaders(port))) response.setHeader(name, value);
    if (!allowedHosts().has(request.headers.host ?? '')) {
      response.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('wrong host\n');
      return;
    }
    serveStatic(root, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });

  // Larger frames close the connection before their payload is read (requestLimits.ts).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const origin = request.headers.origin;
    const trusted = allowedHosts().has(request.headers.host ?? '') && (origin === undefined || allowedOrigins().has(origin));
    if (path !== WS_PATH || !trusted) {
      socket.end(rawHttpResponse(403, 'Forbidden', 'forbidden\n', port));
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  });

  const limits: ClientLimits = { ...DEFAULT_CLIENT_LIMITS, ...options.clientLimits };
  const channels = new Map<WebSocket, ClientChannel>();

  wss.on('connection', (client: WebSocket) => {
    const channel = new ClientChannel(client, limits);
    channels.set(client, channel);
    client.on('message', (data: RawData, isBinary: boolean) => receive(channel, rawToBytes(data), isBinary));
    client.on('close', () => channels.delete(client));
    client.on('error', () => client.terminate());
  });

  /** A frame from a client: refused by size before it is parsed, then checked, then queued in the client's turn. */
  function receive(channel: ClientChannel, frame: Buffer, isBinary: boolean): void {
    let id: number | null = null;
    try {
      const oversize = oversizeFrame(frame, isBinary);
      if (oversize) {
        channel.reply(encodeReply({ v: CONTRACT_VERSION, id: null, ok: false, error: oversize }));
        return;
      }
      const message = decodeWire(isBinary ? frameBytes(frame) : frame.toString('utf8'));
      if (isRpcAck(message)) {
        channel.snapshotAcked();
        return;
      }
      if (isRpcCancel(message)) {
        channel.cancel(message.cancel);
        return;
      }
      id = readRequestId(message);
      if (!isBinary) {
        const method = message !== null && typeof message === 'object' ? ownValue(message, 'method') : undefined;
        const tooLarge = requestTooLarge(method, frame.byteLength);
        if (tooLarge) throw new Error(tooLarge);
      }
      const request = validateRpcRequest(message);
      channel.request(
        async (signal) => {
          try {
            return encodeReply({ v: CONTRACT_VERSION, id: request.id, ok: true, result: await handleRequest(handlers, request, signal) });
          } catch (error) {
            return encodeReply({ v: CONTRACT_VERSION, id: request.id, ok: false, error: messageOf(error) });
          }
        },
        frame.byteLength,
        request.id,
      );
    } catch (error) {
      channel.reply(encodeReply({ v: CONTRACT_VERSION, id, ok: false, error: messageOf(error) }));
    }
  }

  function encodeReply(reply: RpcReply): WireData {
    try {
      return encodeWire(reply);
    } catch (error) {
      // A result JSON cannot carry must still be answered (and must not become an unhandled rejection).
      return encodeWire({ v: CONTRACT_VERSION, id: reply.id, ok: false, error: `the answer could not be sent: ${messageOf(error)}` });
    }
  }

  // One encoding per event, shared by every client.
  const unsubscribe = NODE_EVENT_NAMES.map((event) =>
    host.on(event, (payload) => {
      if (channels.size === 0) return;
      const data = encodeWire({ v: CONTRACT_VERSION, event, payload });
      for (const channel of channels.values()) channel.event(event, payload, data);
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
    data?.dispose();
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
    clientStats: () => [...channels.values()].map((channel) => channel.stats),
    close() {
      closing ??= (async () => {
        for (const off of unsubscribe) off();
        await data?.close();
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

/**
 * A binary frame for decodeWire: its own ArrayBuffer when the Buffer has one to itself (the
 * decoded arrays are then views into it, no copy), else the Buffer (a pooled one is copied once).
 */
function frameBytes(frame: Buffer): ArrayBuffer | Buffer {
  const buffer = frame.buffer;
  return buffer instanceof ArrayBuffer && frame.byteOffset === 0 && frame.byteLength === buffer.byteLength ? buffer : frame;
}

function rawToBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

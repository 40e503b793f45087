// Issue 12, item 5 (and the minor item on queued work): the web host buffered without limit
// for clients that do not read (a socket's bufferedAmount grew 0 → 19.5 MB in 150 s), and 100
// queued `evaluate`s from a client that had gone kept running (8.3 s before another client's
// getState was answered). A stand-in worker floods metrics far faster than training does.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { TrainingHost } from '../../src/main/training/trainingHost';
import { CLOSE_NOT_READING, DEFAULT_CLIENT_LIMITS } from '../../src/main/web/clientChannel';
import { CONTRACT_VERSION, type MetricsEvent } from '../../src/shared/contract';
import { decodeWire, encodeWire } from '../../src/shared/wire';
import { waitFor } from '../app/helpers';
import { MB } from './helpers';

const FLOOD_WORKER = new URL('./fixtures/floodWorker.js', import.meta.url);

interface Client {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  closed: { code: number; reason: string } | null;
}

async function connect(port: number): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const client: Client = { ws, messages: [], closed: null };
  ws.on('message', (data, isBinary) => client.messages.push(decodeWire(isBinary ? (data as Buffer) : String(data)) as Record<string, unknown>));
  ws.on('close', (code, reason) => (client.closed = { code, reason: reason.toString() }));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return client;
}

let nextId = 1;
function request(client: Client, method: string, args: unknown[] = []): number {
  const id = nextId++;
  client.ws.send(encodeWire({ v: CONTRACT_VERSION, id, method, args }));
  return id;
}

async function reply(client: Client, id: number): Promise<Record<string, unknown>> {
  await waitFor(() => client.messages.some((m) => m.id === id), `reply ${id}`);
  return client.messages.find((m) => m.id === id)!;
}

const metricsOf = (client: Client) => client.messages.filter((m) => m.event === 'metrics').map((m) => m.payload as MetricsEvent);
const lastStep = (events: MetricsEvent[]) => (events.length === 0 ? 0 : events.at(-1)!.firstStep + events.at(-1)!.loss.length - 1);

let server: WebServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  delete process.env.FLOOD_WORKER_SETTINGS;
});

async function start(settings: Record<string, number>, clientLimits = {}): Promise<WebServer> {
  process.env.FLOOD_WORKER_SETTINGS = JSON.stringify(settings);
  server = await startWebServer({ port: 0, rootDir: '/nonexistent', trainingHost: new TrainingHost({ workerUrl: FLOOD_WORKER }), clientLimits });
  return server;
}

/**
 * Steps of metrics the flood makes before it is stopped: 300 events of 2000 steps (≈ 80 KB of JSON
 * each, 24 MB in all). The slow client gets what the kernel's socket buffers and its backlog bound
 * hold (~50 events here), then a few merged ones: far fewer than the flood made (the reader, on a busy
 * machine, may get merged events too).
 */
const STEPS_PER_EVENT = 2000;
const FLOOD_STEPS = 300 * STEPS_PER_EVENT;

describe('a client that stops reading', () => {
  it('gets the latest state held for it instead of an ever-growing backlog; a reading client misses nothing', async () => {
    // ~2000 steps (≈ 80 KB of JSON) every 4 ms: ~20 MB/s, a hundred times what training sends.
    const web = await start({ stepsPerEvent: STEPS_PER_EVENT, intervalMs: 4 });
    const reader = await connect(web.port);
    const slow = await connect(web.port);
    slow.ws.pause(); // reads nothing from now on, as a tab paused in the debugger
    await reply(reader, request(reader, 'train', [{}]));

    let maxSlowBacklog = 0;
    const sampler = setInterval(() => {
      const [, slowStats] = web.clientStats();
      if (slowStats) maxSlowBacklog = Math.max(maxSlowBacklog, slowStats.bufferedAmount);
    }, 10);
    // Until the flood has flooded: FLOOD_STEPS steps (24 times the slow client's backlog bound) read by
    // the reader, however long the machine takes to make them.
    await waitFor(() => lastStep(metricsOf(reader)) >= FLOOD_STEPS, `${FLOOD_STEPS} steps of metrics`);
    const stopId = request(reader, 'stop');
    const stopped = (await reply(reader, stopId)).result as { step: number };
    clearInterval(sampler);

    // The reader: every step, in order — as long as it kept pace. The flood is ~20 MB/s; on a machine busy enough
    // that this process reads slower than that (six busy processes on 2 cores did it), the host rightly holds
    // events for the reader too, and then what holds is the slow client's rule: in order, and up to date at the end.
    await waitFor(() => lastStep(metricsOf(reader)) === stopped.step, 'the reader to get every step');
    const readerHeld = web.clientStats()[0].heldSinceConnected;
    let expected = 1;
    for (const event of metricsOf(reader)) {
      if (readerHeld === 0) expect(event.firstStep).toBe(expected);
      else expect(event.firstStep).toBeGreaterThanOrEqual(expected);
      expected = event.firstStep + event.loss.length;
    }
    if (readerHeld > 0) console.log(`the reader fell behind the flood on this machine: ${readerHeld} events held for it`);
    // What the flood made, counted at the source: the reader's own count shrinks when events are merged for it too.
    const produced = stopped.step / STEPS_PER_EVENT;
    expect(stopped.step).toBeGreaterThanOrEqual(FLOOD_STEPS);

    // The slow client: its backlog stayed near the threshold (one frame over at most).
    console.log(`slow client: ${produced} metrics events (${(stopped.step / 1e3).toFixed(0)}k steps) produced, peak bufferedAmount ${(maxSlowBacklog / MB).toFixed(2)} MB`);
    expect(maxSlowBacklog).toBeLessThan(DEFAULT_CLIENT_LIMITS.eventBacklogBytes + 0.5 * MB);
    expect(web.clientStats()[1].heldEvents).toBeGreaterThan(0);

    // Once it reads again it is brought up to date: the latest steps and the idle status, in a few frames.
    slow.ws.resume();
    await waitFor(() => lastStep(metricsOf(slow)) === stopped.step, 'the slow client to catch up');
    await waitFor(() => slow.messages.some((m) => m.event === 'status'), 'the held status');
    expect(metricsOf(slow).length).toBeLessThan(produced / 2);
    expect(metricsOf(slow).at(-1)!.loss.length).toBeLessThanOrEqual(DEFAULT_CLIENT_LIMITS.maxHeldMetricSteps);
    expect(slow.closed).toBeNull();
    reader.ws.close();
    slow.ws.close();
  });

  it('is dropped with a close reason once its unanswered requests pass the limit', async () => {
    // Each getState answer is 1 MB: a client that asks without reading soon has a backlog.
    const web = await start({ stateBytes: 1 << 20 }, { replyBacklogBytes: 256 * 1024, maxQueuedRequests: 8, closeGraceMs: 20_000 });
    const greedy = await connect(web.port);
    const other = await connect(web.port);
    greedy.ws.pause();
    for (let i = 0; i < 40; i++) request(greedy, 'getState');
    await waitFor(() => web.clientStats()[0].closing, 'the host to drop the client');
    // The other client is served meanwhile.
    expect((await reply(other, request(other, 'getState'))).ok).toBe(true);
    greedy.ws.resume();
    await waitFor(() => greedy.closed !== null, 'the close frame');
    expect(greedy.closed!.code).toBe(CLOSE_NOT_READING);
    expect(greedy.closed!.reason).toMatch(/^Digitrain host: client not reading its replies: 8 requests waiting, \d+\.\d MB unsent$/);
    const answered = greedy.messages.filter((m) => 'ok' in m).length;
    expect(answered).toBeLessThan(40);
    other.ws.close();
  });
});

describe('a client that goes away', () => {
  it('loses its queued requests, and never keeps the worker from another client for more than one request', async () => {
    const web = await start({ evaluateMs: 100 });
    const leaving = await connect(web.port);
    const staying = await connect(web.port);
    // Fifty: fewer than the queue's bound (DEFAULT_CLIENT_LIMITS.maxQueuedRequests), so it is not dropped for not reading.
    const queued = 50;
    expect(queued).toBeLessThan(DEFAULT_CLIENT_LIMITS.maxQueuedRequests);
    for (let i = 0; i < queued; i++) request(leaving, 'evaluate');
    // Its evaluations are under way (each reply counts the evaluations run so far).
    await waitFor(() => leaving.messages.some((m) => 'ok' in m), "the leaving client's first evaluation");
    // Two requests at once: each waits for at most the one evaluation the worker is running for the
    // other client (which has dozens more queued), so exactly one evaluation runs between the two.
    const first = request(staying, 'getState');
    const second = request(staying, 'getState');
    const evaluationsAt = async (id: number) => ((await reply(staying, id)).result as { evaluations: number }).evaluations;
    const [atFirst, atSecond] = [await evaluationsAt(first), await evaluationsAt(second)];
    expect(atFirst).toBeLessThan(queued);
    expect(atSecond - atFirst).toBe(1);
    leaving.ws.terminate();
    await waitFor(() => web.clientStats().length === 1, 'the host to see the leaving client gone');
    // The evaluation it had at the worker may still run: it comes before this one.
    const before = ((await reply(staying, request(staying, 'evaluate'))).result as { evaluations: number }).evaluations;
    const after = ((await reply(staying, request(staying, 'evaluate'))).result as { evaluations: number }).evaluations;
    // Only the other client's own evaluation ran in between: the rest of the fifty were dropped with their client.
    expect(after - before).toBe(1);
    expect(before).toBeLessThan(queued);
    staying.ws.close();
  });
});

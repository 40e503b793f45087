// Calling off a request (issue 24, shared/cancel.ts): the client stops waiting at once; a request
// that has not started is not run, wherever it waits (the web host's per-client queue, or the
// training worker's messages behind a long command); a running pass over the test set stops at its
// next checkpoint; an answer that still comes is not sent.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CANCELLED, isCancelled } from '../../src/shared/cancel';
import { CancelBoard, RunningCommand } from '../../src/main/training/cancelBoard';
import { answerCommand, type CommandHandlers, type Reply } from '../../src/main/training/commands';
import { ClientChannel } from '../../src/main/web/clientChannel';
import { TrainingHost } from '../../src/main/training/trainingHost';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { createWebClient, type WebClient } from '../../src/renderer/api/webClient';
import { mlpSpec } from '../../src/shared/model/spec';
import { waitFor } from './helpers';

const SMALL = { model: mlpSpec(16), batchSize: 8, evalEvery: 1_000_000, seed: 1, epochs: null };
const ALL = { filter: { label: null, predicted: null, correct: null }, order: 'index' as const, offset: 0, limit: 10 };

describe('the worker side: the board the host marks, the worker reads', () => {
  function answering(handlers: Partial<CommandHandlers>) {
    const board = new CancelBoard();
    const running = new RunningCommand(board);
    const replies: Reply[] = [];
    const answer = (message: unknown) =>
      answerCommand(
        message,
        handlers as CommandHandlers,
        running,
        board,
        (r) => replies.push(r),
        () => undefined,
      );
    return { board, running, replies, answer };
  }

  it('a command marked before it starts is not run, and is answered CANCELLED; the others run', async () => {
    let runs = 0;
    const { board, replies, answer } = answering({ getHealth: () => ({ run: ++runs, samples: [], diverged: null }) });
    board.cancel(2);
    await answer({ id: 1, type: 'getHealth', args: {} });
    await answer({ id: 2, type: 'getHealth', args: {} });
    await answer({ id: 3, type: 'getHealth', args: {} });
    expect(runs).toBe(2);
    expect(replies).toEqual([
      { kind: 'reply', id: 1, ok: true, result: { run: 1, samples: [], diverged: null } },
      { kind: 'reply', id: 2, ok: false, error: CANCELLED },
      { kind: 'reply', id: 3, ok: true, result: { run: 2, samples: [], diverged: null } },
    ]);
    // Ids share a slot 256 apart: a mark is for one id only.
    expect(board.isCancelled(2 + 256)).toBe(false);
    expect(board.isCancelled(2)).toBe(true);
  });

  it('a running command stops at its next checkpoint once marked; the checkpoint of another command does not', async () => {
    const { board, running, replies } = answering({});
    let chunks = 0;
    const handlers = {
      testPage: () => {
        // A pass over the test set in chunks; the host marks it after the third.
        for (let chunk = 0; chunk < 10; chunk++) {
          running.checkpoint();
          chunks++;
          if (chunk === 2) board.cancel(7);
        }
        return 'finished';
      },
    } as unknown as CommandHandlers;
    await answerCommand(
      { id: 7, type: 'testPage', args: {} },
      handlers,
      running,
      board,
      (r) => replies.push(r),
      () => undefined,
    );
    expect(chunks).toBe(3);
    expect(replies).toEqual([{ kind: 'reply', id: 7, ok: false, error: CANCELLED }]);
    // Outside any command, and inside an unmarked one, the checkpoint lets the work go on.
    expect(() => running.checkpoint()).not.toThrow();
    expect(running.during(8, () => (running.checkpoint(), 'ran'))).toBe('ran');
  });
});

describe('the web host: a client request waits for its turn', () => {
  function fakeSocket() {
    const sent: unknown[] = [];
    return { sent, ws: { OPEN: 1, readyState: 1, bufferedAmount: 0, on: () => undefined, send: (data: unknown) => sent.push(data) } };
  }

  it('one called off in the queue is never run; the running one has its signal aborted and is not answered', async () => {
    const { sent, ws } = fakeSocket();
    const channel = new ClientChannel(ws as never);
    const ran: string[] = [];
    let release!: () => void;
    let firstSignal!: AbortSignal;
    channel.request(
      async (signal) => {
        firstSignal = signal;
        ran.push('first');
        await new Promise<void>((resolve) => (release = resolve));
        return 'first answer';
      },
      10,
      1,
    );
    channel.request(
      async () => {
        ran.push('second');
        return 'second answer';
      },
      10,
      2,
    );
    channel.request(
      async () => {
        ran.push('third');
        return 'third answer';
      },
      10,
      3,
    );
    expect(channel.stats.queuedRequests).toBe(2);
    channel.cancel(2);
    expect(channel.stats.queuedRequests).toBe(1);
    channel.cancel(1);
    expect(firstSignal.aborted).toBe(true);
    release();
    await waitFor(() => ran.length === 2, 'the third request');
    await waitFor(() => sent.length === 1, 'its answer');
    expect(ran).toEqual(['first', 'third']);
    expect(sent).toEqual(['third answer']);
    // Unknown or answered ids change nothing.
    channel.cancel(3);
    channel.cancel(99);
  });
});

describe('end to end with a real training worker', () => {
  let host: TrainingHost;
  beforeAll(async () => {
    host = new TrainingHost();
    await host.request('reset', { config: SMALL });
  });
  afterAll(async () => {
    await host.dispose();
  });

  it('a step sent behind a pass over the test set and called off is not run: the worker saw the mark before it read it', async () => {
    const before = (await host.request('getState', {})).step;
    // Fresh weights, no evaluation: the gallery's page needs a pass over the 10,000 test images.
    const page = host.request('testPage', { query: ALL });
    const controller = new AbortController();
    const step = host.request('step', { config: {}, count: 1 }, controller.signal);
    controller.abort();
    await expect(step).rejects.toSatisfy(isCancelled);
    expect((await page).total).toBe(10_000);
    expect((await host.request('getState', {})).step).toBe(before);
    expect(host.pendingCount).toBe(0);
    // Not called off, the same step runs.
    await host.request('step', { config: {}, count: 1 });
    expect((await host.request('getState', {})).step).toBe(before + 1);
  });

  it('a signal aborted before sending sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(host.request('step', { config: {}, count: 1 }, controller.signal)).rejects.toThrow(`step: ${CANCELLED}`);
    expect(host.pendingCount).toBe(0);
  });
});

describe('the browser client and the web host', () => {
  let server: WebServer;
  let client: WebClient;
  beforeAll(async () => {
    server = await startWebServer({ port: 0, rootDir: mkdtempSync(join(tmpdir(), 'digitrain-cancel-')) });
    client = createWebClient({ url: `ws://127.0.0.1:${server.port}/ws`, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it('a request queued behind another and cancelled rejects at once and is never run', async () => {
    await client.reset(SMALL);
    const page = client.testPage(ALL);
    const step = client.step({}, 1);
    const ticket = client.lastTicket!();
    client.cancel!(ticket);
    await expect(step).rejects.toThrow(`step: ${CANCELLED}`);
    expect((await page).total).toBe(10_000);
    expect((await client.getState()).step).toBe(0);
    // Cancelling what is answered changes nothing.
    client.cancel!(ticket);
    expect((await client.step({}, 1)).step).toBe(1);
  });
});

// One handler per worker command. The hosts validated every argument where the request
// entered the Node side (shared/validate.ts); the worker trusts its own host's typed messages.
import type { WorkerCommandArgs, WorkerCommandName, WorkerCommandResult } from '../../shared/workerProtocol';
import { ContractError } from '../../shared/validate';
import { CANCELLED } from '../../shared/cancel';
import { messageOf } from '../../shared/messageOf';
import type { CancelBoard, RunningCommand } from './cancelBoard';

export type CommandHandler<K extends WorkerCommandName> = (args: WorkerCommandArgs<K>) => WorkerCommandResult<K> | Promise<WorkerCommandResult<K>>;

export type CommandHandlers = { [K in WorkerCommandName]: CommandHandler<K> };

/** Runs the handler a message names; every failure becomes an Error with a readable message. */
export async function dispatchCommand(handlers: CommandHandlers, type: unknown, args: unknown): Promise<unknown> {
  if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) {
    throw new ContractError(`unknown command ${JSON.stringify(type)} (known: ${Object.keys(handlers).join(', ')})`);
  }
  const handler = handlers[type as WorkerCommandName] as (args: unknown) => unknown;
  return handler(args);
}

/** A reply to the host, as the worker posts it. */
export type Reply = { kind: 'reply'; id: number; ok: true; result: unknown } | { kind: 'reply'; id: number; ok: false; error: string };

/**
 * Answers one message from the host, exactly once whatever happens (the host's promise depends on
 * it). A command the host marked cancelled before it starts is not run (the host has stopped
 * waiting for it: the reply only settles the books); while it runs, `running` knows its id for
 * the checkpoints of long computations. A message without an id cannot be answered, so it is not
 * run: `ignored` says so.
 */
export async function answerCommand(
  message: unknown,
  handlers: CommandHandlers,
  running: RunningCommand,
  board: CancelBoard,
  reply: (reply: Reply) => void,
  ignored: (type: unknown) => void,
): Promise<void> {
  const record = message !== null && typeof message === 'object' ? (message as Record<string, unknown>) : {};
  const id = record.id;
  if (typeof id !== 'number') {
    ignored(record.type);
    return;
  }
  if (board.isCancelled(id)) {
    reply({ kind: 'reply', id, ok: false, error: CANCELLED });
    return;
  }
  try {
    const result = await running.during(id, () => dispatchCommand(handlers, record.type, record.args));
    reply({ kind: 'reply', id, ok: true, result });
  } catch (error) {
    reply({ kind: 'reply', id, ok: false, error: messageOf(error) });
  }
}

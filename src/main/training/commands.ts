// One handler per worker command. The hosts validated every argument where the request
// entered the Node side (shared/validate.ts); the worker trusts its own host's typed messages.
import type { WorkerCommandArgs, WorkerCommandName, WorkerCommandResult } from '../../shared/workerProtocol';
import { ContractError } from '../../shared/validate';

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

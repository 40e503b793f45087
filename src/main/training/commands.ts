// One handler per worker command. Arguments arrive as `unknown` and are validated here
// again (the hosts validate too): a malformed message must never reach the model.
import type { WorkerCommandName, WorkerCommandResult } from '../../shared/workerProtocol';
import { ContractError, validateConfigPatch, validatePixels } from '../../shared/validate';
import type { TrainingSession } from './session';

export type CommandHandler<K extends WorkerCommandName> = (
  args: Record<string, unknown>,
) => WorkerCommandResult<K> | Promise<WorkerCommandResult<K>>;

export type CommandHandlers = { [K in WorkerCommandName]: CommandHandler<K> };

export function createCommandHandlers(session: TrainingSession): CommandHandlers {
  return {
    getState: () => session.getState(),
    train: (args) => session.train(validateConfigPatch(args.config)),
    stop: () => session.stop(),
    reset: (args) => session.reset(validateConfigPatch(args.config)),
    evaluate: () => session.evaluate(),
    classify: (args) => session.classify(validatePixels(args.pixels)),
  };
}

/** Runs the handler a message names; every failure becomes an Error with a readable message. */
export async function dispatchCommand(handlers: CommandHandlers, type: unknown, args: unknown): Promise<unknown> {
  if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) {
    throw new ContractError(`unknown command ${JSON.stringify(type)} (known: ${Object.keys(handlers).join(', ')})`);
  }
  const record = args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
  return handlers[type as WorkerCommandName](record);
}

// One handler per worker command. Arguments arrive as `unknown` and are validated here
// again (the hosts validate too): a malformed message must never reach the model.
import type { WorkerCommandName, WorkerCommandResult } from '../../shared/workerProtocol';
import { ContractError, validateConfigPatch, validatePixels } from '../../shared/validate';
import { validateWeightsFileBytes, validateWeightsFileKind } from '../../shared/weightsFiles';
import { createWeightsCommands } from '../weights/weightsCommands';
import { ownValue } from '../../shared/ownKeys';
import { assertFiniteProbabilities } from '../weights/outputCheck';
import type { TrainingSession } from './session';

export type CommandHandler<K extends WorkerCommandName> = (
  args: Record<string, unknown>,
) => WorkerCommandResult<K> | Promise<WorkerCommandResult<K>>;

export type CommandHandlers = { [K in WorkerCommandName]: CommandHandler<K> };

export function createCommandHandlers(session: TrainingSession): CommandHandlers {
  const weights = createWeightsCommands(session);
  return {
    getState: () => session.getState(),
    train: (args) => session.train(validateConfigPatch(ownValue(args, 'config'))),
    stop: () => session.stop(),
    reset: (args) => session.reset(validateConfigPatch(ownValue(args, 'config'))),
    evaluate: () => session.evaluate(),
    classify: (args) => {
      const classification = session.classify(validatePixels(ownValue(args, 'pixels')));
      assertFiniteProbabilities(classification.probabilities);
      return classification;
    },
    weightsFile: (args) => weights.weightsFile(validateWeightsFileKind(ownValue(args, 'kind'))),
    loadWeightsFile: (args) => {
      const file = validateWeightsFileBytes(ownValue(args, 'name'), ownValue(args, 'bytes'));
      return weights.loadWeightsFile(file.name, file.bytes);
    },
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

// The draft network as the editor and the buttons see it: checkModelSpec of the draft spec,
// worked out once per spec (selectors run on every store change, ~20 times a second in training),
// and what it costs (shared/model/cost.ts) at the draft's batch size.
import { checkModelSpec, type SpecCheck } from '../../shared/model/checkSpec';
import type { ModelSpec } from '../../shared/model/spec';
import { memoryProblem } from '../../shared/model/cost';
import { specCost } from './specCost';
import { fieldProblem, type UiState } from './store';

const checks = new WeakMap<ModelSpec, SpecCheck>();

export function specCheck(spec: ModelSpec): SpecCheck {
  let check = checks.get(spec);
  if (!check) {
    check = checkModelSpec(spec);
    checks.set(spec, check);
  }
  return check;
}

/** Why the draft network cannot be built, or not trained at the draft's batch size (Reset and Train wait until it can), or null. */
export function draftProblem(state: Pick<UiState, 'draft'>): string | null {
  const problem = specCheck(state.draft.model).problem;
  if (problem !== null) return problem;
  const cost = specCost(state.draft.model);
  return cost === null ? null : memoryProblem(cost, state.draft.batchSize);
}

/**
 * What keeps Reset and Train from starting, in the words the buttons and the notice use: a
 * setting whose value is invalid, or else a network that cannot be built. Null when nothing does.
 */
export function startProblem(state: Pick<UiState, 'draft' | 'fieldErrors'>): string | null {
  const field = fieldProblem(state);
  if (field !== null) return `${field}: fix it first`;
  const network = draftProblem(state);
  return network === null ? null : `The network cannot be built: ${network}`;
}

/**
 * Why Train and Step cannot go on: the run has trained the epochs the settings ask for. Said on
 * the buttons before the click (the Node side would refuse it); Reset or more epochs lift it.
 */
export function epochsDoneProblem(state: Pick<UiState, 'draft' | 'epoch'>): string | null {
  const { epochs } = state.draft;
  if (epochs === null || state.epoch < epochs) return null;
  return `This run has trained its ${epochs} epoch${epochs === 1 ? '' : 's'}: raise Epochs (or clear it to train until stopped) to go on, or Reset`;
}

// The draft network as the editor and the buttons see it: checkModelSpec of the draft spec,
// worked out once per spec (selectors run on every store change, ~20 times a second in training).
import { checkModelSpec, type SpecCheck } from '../../shared/model/checkSpec';
import type { ModelSpec } from '../../shared/model/spec';
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

/** Why the draft network cannot be built (Reset and Train wait until it can), or null. */
export function draftProblem(state: Pick<UiState, 'draft'>): string | null {
  return specCheck(state.draft.model).problem;
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

// The draft network as the editor and the buttons see it: checkModelSpec of the draft spec,
// worked out once per spec (selectors run on every store change, ~20 times a second in training).
import { checkModelSpec, type SpecCheck } from '../../shared/model/checkSpec';
import type { ModelSpec } from '../../shared/model/spec';
import type { UiState } from './store';

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

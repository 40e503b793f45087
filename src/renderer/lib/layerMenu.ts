// The menu of layer kinds the editor adds from: every registered kind, grouped by what it does
// (its role), and whether a kind with its default settings fits where it would go.
import { describeLayer } from '../../shared/model/describe';
import { LayerShapeError, type LayerRole } from '../../shared/model/layerKind';
import { LAYER_KINDS, LAYER_TYPES, type LayerType } from '../../shared/model/layerKinds';
import type { Shape } from '../../shared/model/shape';
import { defaultLayer } from '../../shared/model/validateSpec';

/** The menu's group of each role; keyed by every role, so a new role must say where it goes. */
const ROLE_GROUP: Record<LayerRole, string> = {
  dense: 'Learned weights',
  conv: 'Learned weights',
  pool: 'Shape',
  reshape: 'Shape',
  activation: 'Activations',
  norm: 'Training aids',
  dropout: 'Training aids',
};

export interface MenuGroup {
  title: string;
  types: LayerType[];
}

/** The groups in the order their first kind is registered; kinds in registry order. */
export const MENU_GROUPS: readonly MenuGroup[] = (() => {
  const groups = new Map<string, LayerType[]>();
  for (const type of LAYER_TYPES) {
    const title = ROLE_GROUP[LAYER_KINDS[type].role];
    groups.set(title, [...(groups.get(title) ?? []), type]);
  }
  return [...groups].map(([title, types]) => ({ title, types }));
})();

/** Why a new `type` layer (default settings) cannot take `input`, or null when it can (or the input is not known). */
export function misfit(type: LayerType, input: Shape | null): string | null {
  if (input === null) return null;
  try {
    describeLayer(defaultLayer(type, 'new'), input);
    return null;
  } catch (error) {
    if (error instanceof LayerShapeError) return error.reason;
    throw error;
  }
}

// The inspection panels' actions on the app's API, created once (kept apart from the store, which
// tests drive with a fake API and which the Node-side type check reads without the DOM).
import { getApi } from '../api';
import { createInspectActions, type InspectActions } from './inspectStore';

let actions: InspectActions | null = null;

export function inspectActions(): InspectActions {
  actions ??= createInspectActions(getApi());
  return actions;
}

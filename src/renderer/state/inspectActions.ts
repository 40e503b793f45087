// The inspection panels' actions on the app's API, created once (kept apart from the store, which
// tests drive with a fake API and which the Node-side type check reads without the DOM).
// Opening the gallery from anywhere (a confusion cell, "browse the test set") opens the Inspect
// view, where the gallery is.
import { getApi } from '../api';
import { createInspectActions, type InspectActions } from './inspectStore';
import { openView } from './workspace';

let actions: InspectActions | null = null;

export function inspectActions(): InspectActions {
  if (!actions) {
    const base = createInspectActions(getApi());
    actions = {
      ...base,
      openGallery: (filter, order) => {
        openView('inspect');
        return base.openGallery(filter, order);
      },
    };
  }
  return actions;
}

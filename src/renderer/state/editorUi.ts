// Whether the architecture editor is open: the settings panel opens it, the editor closes it.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { openView } from './workspace';

export const editorUi = createStore<{ open: boolean }>(() => ({ open: false }));

export function useEditorOpen(): boolean {
  return useStore(editorUi, (s) => s.open);
}

/** Opening the editor also opens the Network view, where it is drawn. */
export function setEditorOpen(open: boolean): void {
  editorUi.setState({ open });
  if (open) openView('network');
}

/** The id of the settings panel's button that opens the editor: focus returns there when it closes. */
export const EDITOR_TOGGLE_ID = 'edit-layers-button';

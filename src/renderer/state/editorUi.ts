// Whether the architecture editor is open: the settings panel opens it, the editor closes it.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export const editorUi = createStore<{ open: boolean }>(() => ({ open: false }));

export function useEditorOpen(): boolean {
  return useStore(editorUi, (s) => s.open);
}

export function setEditorOpen(open: boolean): void {
  editorUi.setState({ open });
}

/** The id of the settings panel's button that opens the editor: focus returns there when it closes. */
export const EDITOR_TOGGLE_ID = 'edit-layers-button';

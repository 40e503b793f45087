// React's view of the store, and the actions the components call.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Actions } from '../state/actions';
import { uiStore, type UiState } from '../state/store';

export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(uiStore, selector);
}

export const ActionsContext = createContext<Actions | null>(null);

export function useActions(): Actions {
  const actions = useContext(ActionsContext);
  if (!actions) throw new Error('useActions() outside <ActionsContext.Provider>');
  return actions;
}

import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { insightStore, type InsightActions, type InsightState } from '../../state/insightStore';

export const InsightContext = createContext<InsightActions | null>(null);

export function useInsightActions(): InsightActions {
  const actions = useContext(InsightContext);
  if (!actions) throw new Error('useInsightActions() outside <InsightContext.Provider>');
  return actions;
}

export function useInsight<T>(selector: (state: InsightState) => T): T {
  return useStore(insightStore, selector);
}

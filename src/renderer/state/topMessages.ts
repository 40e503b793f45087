// The messages of the top bar's menus (what Save, Load and Export came to): shown in the strip
// under the status line (App.tsx), where they push the views down instead of lying over them
// (issue 24: a "Load failed" box covered the What-if sliders). MessageBox's rule applies: news
// goes by itself, a failure stays until dismissed.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Message } from '../components/MessageBox';

export const topMessages = createStore<{ weights: Message | null }>(() => ({ weights: null }));

export function useTopMessage(): Message | null {
  return useStore(topMessages, (s) => s.weights);
}

export function setWeightsMessage(message: Message | null): void {
  topMessages.setState({ weights: message });
}

// Which view of the workspace is open (issue 24): the one place that lists the views, their tab labels and
// keyboard shortcuts. Components open a view through openView(); the layout draws the tabs from VIEWS.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export const VIEWS = [
  { id: 'train', label: 'Train', key: '1' },
  { id: 'network', label: 'Network', key: '2' },
  { id: 'inspect', label: 'Inspect', key: '3' },
  { id: 'health', label: 'Health', key: '4' },
  { id: 'runs', label: 'Runs', key: '5' },
  { id: 'try', label: 'Try it', key: '6' },
  { id: 'how', label: 'How it works', key: '7' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

const STORAGE_KEY = 'digitrain.view';

function isViewId(value: unknown): value is ViewId {
  return VIEWS.some((v) => v.id === value);
}

function initialView(): ViewId {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isViewId(saved) ? saved : 'train';
  } catch {
    return 'train';
  }
}

export const workspace = createStore<{ view: ViewId }>(() => ({ view: initialView() }));

export function useOpenView(): ViewId {
  return useStore(workspace, (s) => s.view);
}

/** Opens a view; the choice survives a reload. */
export function openView(view: ViewId): void {
  workspace.setState({ view });
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, view);
  } catch {
    // A storage that refuses (private mode, quota) only loses the choice across reloads.
  }
}

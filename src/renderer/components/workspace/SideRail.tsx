// The settings in a rail at the left of every view (issue 24): the network with the editor's
// entry, optimisation, schedule, regularisation. It scrolls inside itself, never the page, and
// folds away to give the views the width; folded or not is kept across reloads.
import { useState } from 'react';
import { HyperParams } from '../HyperParams';

const FOLDED_KEY = 'digitrain.rail.folded';

function foldedBefore(): boolean {
  try {
    return globalThis.localStorage?.getItem(FOLDED_KEY) === '1';
  } catch {
    return false;
  }
}

export function SideRail() {
  const [folded, setFolded] = useState(foldedBefore);
  const toggle = () => {
    const next = !folded;
    setFolded(next);
    try {
      globalThis.localStorage?.setItem(FOLDED_KEY, next ? '1' : '0');
    } catch {
      // Not remembered across reloads; folded for this page all the same.
    }
  };
  return (
    <aside className={folded ? 'rail rail-folded' : 'rail'} data-testid="side-rail" data-folded={folded}>
      <button
        type="button"
        className="rail-toggle"
        data-testid="rail-toggle"
        aria-expanded={!folded}
        aria-controls="settings-rail"
        title={folded ? 'Show the settings' : 'Hide the settings (more room for the views)'}
        onClick={toggle}
      >
        <span aria-hidden="true">{folded ? '»' : '«'}</span>
        <span className={folded ? 'visually-hidden' : ''}>Settings</span>
      </button>
      <div className="rail-body" id="settings-rail" hidden={folded}>
        <HyperParams />
      </div>
    </aside>
  );
}

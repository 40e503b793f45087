// Entry: connect the store to the Node side (preload or WebSocket, whichever
// getApi() finds), then render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api';
import { App } from './App';
import { ActionsContext } from './hooks/useUi';
import { createActions } from './state/actions';
import { connectStore } from './state/connect';
import { reduceAppState, uiStore } from './state/store';
import { MyDigitsContext } from './components/experiments/MyDigitsPanel';
import { RunsContext } from './components/experiments/RunsPanel';
import { connectMyDigits, createMyDigitsActions } from './state/myDigitsStore';
import { connectRuns, createRunsActions, runsStore } from './state/runsStore';
import './styles.css';

const api = getApi();
connectStore(api, uiStore);
const actions = createActions(api, uiStore);
const runs = createRunsActions(api, runsStore, () => api.getState().then((app) => uiStore.setState((s) => reduceAppState(s, app))));
connectRuns(api, runs);
const myDigits = createMyDigitsActions(api);
connectMyDigits(api, myDigits);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ActionsContext.Provider value={actions}>
      <RunsContext.Provider value={runs}>
        <MyDigitsContext.Provider value={myDigits}>
          <App />
        </MyDigitsContext.Provider>
      </RunsContext.Provider>
    </ActionsContext.Provider>
  </StrictMode>,
);

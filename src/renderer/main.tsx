// Entry: connect the store to the Node side (preload or WebSocket, whichever
// getApi() finds), then render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api';
import { App } from './App';
import { ActionsContext } from './hooks/useUi';
import { createActions } from './state/actions';
import { connectStore } from './state/connect';
import { uiStore } from './state/store';
import './styles.css';

const api = getApi();
connectStore(api, uiStore);
const actions = createActions(api, uiStore);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ActionsContext.Provider value={actions}>
      <App />
    </ActionsContext.Provider>
  </StrictMode>,
);

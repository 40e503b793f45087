// The one window: sandboxed, isolated, no Node, no navigation away, no pop-ups, no permissions.
import { BrowserWindow, nativeTheme, shell } from 'electron';
import { APP_ORIGIN } from './protocol';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    // The smallest size the layout is made for (issue 13): every panel fits, nothing is cut off.
    minWidth: 1024,
    minHeight: 700,
    title: 'Digitrain',
    show: false,
    // The page's own background (styles.css follows the system theme), so nothing flashes while it loads.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f1420' : '#f4f6fa',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser, never in an app window.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(APP_ORIGIN + '/')) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

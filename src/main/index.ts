// Electron's main process entry (built to out/main/main/index.js; package.json "main").
import { startElectronApp } from './electron/app';

startElectronApp();

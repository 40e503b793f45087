// `npm run web [-- --port N] [-- --no-build]`: build the renderer (only the renderer:
// the browser host runs the Node side from source with tsx), then start the web host.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const skipBuild = args.includes('--no-build');
process.argv = [...process.argv.slice(0, 2), ...args.filter((arg) => arg !== '--no-build')];

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

if (!skipBuild || !existsSync('out/renderer/index.html')) {
  process.env.NODE_ENV_ELECTRON_VITE = 'production';
  const { resolveConfig } = await import('electron-vite');
  const { build } = await import('vite');
  const { config } = await resolveConfig({ logLevel: 'warn' }, 'build', 'production');
  if (!config?.renderer) throw new Error('electron.vite.config.ts has no renderer section');
  await build(config.renderer);
}

// The host runs as a child in a session of its own, below the browser (src/main/web/sessionPriority.ts).
const { tsImport } = await import('tsx/esm/api');
const { launchInOwnSession } = await tsImport('../src/main/web/launchInOwnSession.ts', import.meta.url);
launchInOwnSession(fileURLToPath(new URL('../src/main/web/main.ts', import.meta.url)), process.argv.slice(2));

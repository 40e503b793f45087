// The renderer is loaded from app://digitrain/ rather than file://, so that every
// response carries our Content-Security-Policy header and only files of the built
// renderer can be read (the same path check as the web host).
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy } from '../security/csp';
import { contentTypeOf, resolveStaticPath } from '../web/staticFiles';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://digitrain`;

export const ELECTRON_CSP = contentSecurityPolicy();

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'digitrain' ? resolveStaticPath(rendererRoot, url.pathname) : null;
    if (!file) return new Response('bad path', { status: 400 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': contentTypeOf(file),
          'Content-Security-Policy': ELECTRON_CSP,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

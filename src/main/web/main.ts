// `npm run web`: start the browser host and print its address.
//   --port N   (or PORT=N)   port on 127.0.0.1; 0 picks a free one; default 5317
//   --data-dir DIR  (or DIGITRAIN_DATA_DIR)  where runs and your digits are kept; default ~/.digitrain
import { resolve } from 'node:path';
import { defaultDataDir } from '../files/dataDir';
import { DEFAULT_PORT, startWebServer, type WebServer } from './server';
import { lowerSessionPriority } from './sessionPriority';
import { messageOf } from '../../shared/messageOf';

function parsePort(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const index = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  const raw = index < 0 ? env.PORT : argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535 (got ${raw})`);
  return port;
}

function parseDataDir(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const index = argv.findIndex((arg) => arg === '--data-dir' || arg.startsWith('--data-dir='));
  if (index < 0) return defaultDataDir(env);
  const raw = argv[index].includes('=') ? argv[index].slice(argv[index].indexOf('=') + 1) : argv[index + 1];
  if (raw === undefined || raw.trim() === '' || raw.startsWith('--')) throw new Error('--data-dir needs a folder');
  return resolve(raw);
}

async function main(): Promise<void> {
  // Only when `npm run web` started us in a session of our own; a no-op otherwise.
  lowerSessionPriority();
  // Before anything starts: Ctrl+C during start-up must stop cleanly too.
  let server: WebServer | null = null;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Digitrain…`);
    (server?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  // Started by the launcher (launchInOwnSession.ts): when it is gone, so are we.
  if (process.send) process.on('disconnect', () => shutdown('the launcher exited'));
  const dataDir = parseDataDir(process.argv.slice(2), process.env);
  const started = await startWebServer({ port: parsePort(process.argv.slice(2), process.env), dataDir });
  if (stopping) {
    await started.close();
    return;
  }
  server = started;
  console.log(`Digitrain is running at ${started.url}`);
  console.log(`Runs and your digits are kept in ${dataDir}`);
}

main().catch((error: unknown) => {
  const message = messageOf(error);
  const hint = /EADDRINUSE/.test(message) ? ' (the port is taken: try --port 0, or another port)' : '';
  console.error(`digitrain web: ${message}${hint}`);
  process.exit(1);
});

// `npm start`: make sure Electron can run, build the app, launch it.
//
// Electron's binary is fetched on first use (GitHub releases). Where that is impossible
// (offline, behind a proxy, a sandbox), say so plainly and point to the browser version.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FETCH_TIMEOUT_MS = 180_000;

function fail(lines) {
  console.error(['', ...lines, ''].join('\n'));
  process.exit(1);
}

// `require('electron')` resolves the binary's path and downloads it when missing; run it in
// a child so a slow or failing download cannot hang this script.
function electronBinary() {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: FETCH_TIMEOUT_MS,
    env,
  });
  const path = probe.status === 0 ? probe.stdout.trim() : '';
  if (path && existsSync(path)) return { path };
  const detail = (probe.error?.message ?? probe.stderr ?? '').split('\n').find((line) => /error|failed|ENOTFOUND|EAI_AGAIN|timed? ?out/i.test(line));
  return { path: null, detail: detail?.trim() ?? 'the binary is missing' };
}

const electron = electronBinary();
if (!electron.path) {
  fail([
    'Digitrain cannot start its desktop window: the Electron binary is not installed and could not be downloaded',
    `(${electron.detail}).`,
    '',
    'Use the browser version instead — the same app, served locally:',
    '',
    '    npm run web',
    '',
    'then open the address it prints (http://127.0.0.1:5317/).',
    'To get the desktop app later, run `npm start` again on a machine with internet access.',
  ]);
}

const build = spawnSync(process.execPath, [fileURLToPath(new URL('../node_modules/electron-vite/bin/electron-vite.js', import.meta.url)), 'build'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) fail(['digitrain: the build failed (see above).']);

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron.path, ['.'], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => fail([`digitrain: Electron could not be started: ${error.message}`, 'Try `npm run web` instead.']));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

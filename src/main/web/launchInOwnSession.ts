// `npm run web` runs the host as a child in a session of its own, so that the host can lower
// its whole session below the browser (see sessionPriority.ts), and stays in front of it:
// Ctrl+C, termination and hang-up are passed on (a detached child no longer gets the
// terminal's signals), and the launcher exits with the host's code. If the launcher dies
// without a word (SIGKILL, e.g. from a test runner), the host sees its IPC channel close and
// shuts down: no host outlives its launcher.
//
// Nor does the launcher outlive what started it. `npm run web` runs it through a shell
// (`sh -c "node scripts/web.mjs"`), and `kill` of the npm process reaches only that shell: npm
// passes SIGTERM to its child, and the shell dies of it without passing it on. So the launcher
// watches its parent, and once that is gone (it has been handed to another), stops the host as
// for SIGTERM.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How often the launcher looks whether its parent is still there. */
const PARENT_POLL_MS = 250;

/** Starts `entry` (TypeScript, run through tsx) with `args` and follows it until it exits. */
export function launchInOwnSession(entry: string, args: readonly string[]): void {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // setsid(): a new session. Only Linux schedules sessions as groups, so elsewhere the host
    // stays in ours (and in our process group, which then gets Ctrl+C itself).
    detached: process.platform === 'linux',
  });
  for (const signal of FORWARDED) process.on(signal, () => child.kill(signal));
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    console.log('digitrain web: the process that started this one is gone; stopping the host');
    child.kill('SIGTERM');
  }, PARENT_POLL_MS);
  watch.unref(); // the child keeps the launcher running; the watch alone must not
  child.on('error', (error) => {
    console.error(`digitrain web: could not start the host: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + constants.signals[signal] : 1)));
}

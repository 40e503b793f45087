// `npm run web`'s launcher and the host's own session: the host runs in a session of its own
// at the lowest priority, and it never outlives the launcher.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { BACKGROUND_NICE } from '../../src/main/training/threadPriority';
import { readProcStat } from '../../src/main/training/procStat';
import { isSessionLeader, lowerSessionPriority, sessionNice } from '../../src/main/web/sessionPriority';
import { waitFor } from './helpers';

const launcherModule = fileURLToPath(new URL('../../src/main/web/launchInOwnSession.ts', import.meta.url));
const hostEntry = fileURLToPath(new URL('../../src/main/web/main.ts', import.meta.url));

interface Launched {
  launcher: ChildProcess;
  hostPid: number;
  url: string;
  output: () => string;
}

const launchCode = `import(${JSON.stringify(launcherModule)}).then((m) => m.launchInOwnSession(${JSON.stringify(hostEntry)}, ['--port', '0']))`;

/** The only child of process `pid`. */
function onlyChild(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  expect(children).toHaveLength(1);
  return Number(children[0]);
}

/** Starts `child` and waits until the host in it prints its address. */
async function started(child: ChildProcess): Promise<{ url: string; output: () => string }> {
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => /running at (http:\S+)/.test(output) || child.exitCode !== null, 'the host to start');
  const url = /running at (http:\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`the host did not start:\n${output}`);
  return { url, output: () => output };
}

/** The launcher as `npm run web` runs it (without the renderer build), the host on a free port. */
async function launch(): Promise<Launched> {
  const launcher = spawn(process.execPath, ['--import', 'tsx', '-e', launchCode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { url, output } = await started(launcher);
  return { launcher, hostPid: onlyChild(launcher.pid!), url, output };
}

const sessionOf = (pid: number): number => readProcStat(`/proc/${pid}/stat`).session;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const running: ChildProcess[] = [];
/** Processes a failed test might leave behind (not children of this one). */
const strays: number[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of strays.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

describe.runIf(process.platform === 'linux')('npm run web on Linux', () => {
  test('the host runs in a session of its own, lowered below everything else; ours keeps its priority', async () => {
    const ownBefore = sessionNice();
    const { hostPid, url } = await launch();
    expect(sessionOf(hostPid)).toBe(hostPid);
    expect(sessionOf(process.pid)).not.toBe(hostPid);
    if (existsSync('/proc/self/autogroup')) {
      expect(readFileSync(`/proc/${hostPid}/autogroup`, 'utf8')).toMatch(new RegExp(`nice ${BACKGROUND_NICE}\\b`));
      expect(sessionNice()).toBe(ownBefore);
    }
    // Our host answers there: the page, or (before the first build) its note that the UI is not built.
    const response = await fetch(url);
    expect([200, 503]).toContain(response.status);
    expect(await response.text()).toContain('Digitrain');
  });

  test('Ctrl+C on the launcher reaches the host, which stops cleanly', async () => {
    const { launcher, hostPid, output } = await launch();
    launcher.kill('SIGINT');
    expect(await exited(launcher)).toBe(0);
    expect(output()).toContain('SIGINT: stopping Digitrain');
    await waitFor(() => !alive(hostPid), 'the host to exit');
  });

  test('kill of `npm run web` stops the launcher and the host: npm passes SIGTERM to the shell it runs the script in, which dies without passing it on', async () => {
    // As npm runs a script: `sh -c "…"`; the command after it keeps the shell from replacing itself with node.
    const shell = spawn('/bin/sh', ['-c', '"$0" --import tsx -e "$1"; exit $?', process.execPath, launchCode], { stdio: ['ignore', 'pipe', 'pipe'] });
    const { url } = await started(shell);
    const launcherPid = onlyChild(shell.pid!);
    const hostPid = onlyChild(launcherPid);
    strays.push(launcherPid, hostPid);
    expect((await fetch(url)).status).toBeLessThan(600);
    shell.kill('SIGTERM');
    await exited(shell);
    await waitFor(() => !alive(launcherPid) && !alive(hostPid), 'the launcher and the host to exit');
    await expect(fetch(url)).rejects.toThrow();
  });

  test('a host whose launcher is killed outright shuts down too', async () => {
    const { launcher, hostPid, url } = await launch();
    launcher.kill('SIGKILL');
    await waitFor(() => !alive(hostPid), 'the host to exit after its launcher');
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('lowerSessionPriority', () => {
  test('leaves a session alone unless this process leads it (a terminal session stays as it was)', () => {
    expect(isSessionLeader()).toBe(false);
    const before = sessionNice();
    expect(lowerSessionPriority()).toBeNull();
    expect(sessionNice()).toBe(before);
  });

  test('does nothing where sessions are not scheduled as groups', () => {
    expect(isSessionLeader('darwin')).toBe(false);
    expect(lowerSessionPriority(BACKGROUND_NICE, 'win32')).toBeNull();
  });
});

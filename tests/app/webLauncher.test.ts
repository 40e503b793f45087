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

/** The launcher as `npm run web` runs it (without the renderer build), the host on a free port. */
async function launch(): Promise<Launched> {
  const code = `import(${JSON.stringify(launcherModule)}).then((m) => m.launchInOwnSession(${JSON.stringify(hostEntry)}, ['--port', '0']))`;
  const launcher = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(launcher);
  let output = '';
  launcher.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => /running at (http:\S+)/.test(output) || launcher.exitCode !== null, 'the host to start');
  const url = /running at (http:\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`the host did not start:\n${output}`);
  const children = readFileSync(`/proc/${launcher.pid}/task/${launcher.pid}/children`, 'utf8').trim().split(/\s+/);
  expect(children).toHaveLength(1);
  return { launcher, hostPid: Number(children[0]), url, output: () => output };
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
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
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

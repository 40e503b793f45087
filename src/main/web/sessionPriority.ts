// The web host's priority against the browser that shows it.
//
// The training thread runs below normal priority (training/threadPriority.ts), which is enough in the
// desktop app: Electron's windows are processes of the same session. A browser is not.
// Linux's scheduler (with autogroups, the default on desktop kernels) first shares the CPU
// equally between sessions and only then applies nice values within each one, so a low-priority
// trainer in the host's session still takes half of a two-core machine from the browser,
// and the page's frames wait: 3–4× more long tasks while training than with the host's
// whole session lowered (measured with the e2e's PerformanceObserver, evaluation every 200
// steps, 4 runs each). `npm run web` therefore starts the host in a session of its own
// (launchInOwnSession.ts), and the host lowers that session.
import { readFileSync, writeFileSync } from 'node:fs';
import { trainerNice } from '../training/threadPriority';
import { readProcStat } from '../training/procStat';

const AUTOGROUP = '/proc/self/autogroup';

/** True when this process leads its session (started with setsid, e.g. a detached child). */
export function isSessionLeader(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return false;
  try {
    return readProcStat().session === process.pid;
  } catch {
    return false;
  }
}

/** The nice value of this process's scheduling group, or null where there is none. */
export function sessionNice(): number | null {
  try {
    const match = /nice (-?\d+)/.exec(readFileSync(AUTOGROUP, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Lowers the priority of this process's session to at least `nice`, but only when the
 * process leads that session: a host started from a terminal shares the terminal's session,
 * which must keep its priority after we are gone. Returns the session's nice value
 * afterwards, or null when it was left alone (or there are no autogroups). Never throws.
 */
export function lowerSessionPriority(nice = trainerNice(), platform: NodeJS.Platform = process.platform): number | null {
  if (!isSessionLeader(platform)) return null;
  const before = sessionNice();
  if (before === null) return null;
  if (before >= nice) return before;
  try {
    writeFileSync(AUTOGROUP, String(nice));
  } catch {
    return null;
  }
  return sessionNice();
}

// Reading Linux's /proc/<pid>/stat (or a thread's /proc/<pid>/task/<tid>/stat): the session and
// nice value of a process or thread, for web/sessionPriority and the tests of both priorities.
import { readFileSync } from 'node:fs';

/** The fields of a stat line this project reads. */
export interface ProcStat {
  session: number;
  nice: number;
}

/** Parses a stat file; throws where there is none (not Linux, or the process is gone). */
export function readProcStat(path = '/proc/self/stat'): ProcStat {
  // "pid (comm) state ppid pgrp session … priority nice …": comm may hold spaces and
  // parentheses, so fields are counted from after its closing one (state is field 3).
  const text = readFileSync(path, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { session: Number(fields[6 - 3]), nice: Number(fields[19 - 3]) };
}

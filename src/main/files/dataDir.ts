// Where the app keeps what outlives a session: runs and the learner's digits. Electron uses its
// own folder (app.getPath('userData')); the web host and the CLI's --record use one in the
// user's home, printed when the web host starts. Tests pass a temporary folder instead.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Overrides the web host's and the CLI's default data folder (tests, or a second setup). */
export const DATA_DIR_ENV = 'DIGITRAIN_DATA_DIR';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const given = env[DATA_DIR_ENV];
  return given && given.trim() !== '' ? given : join(homedir(), '.digitrain');
}

export function runsDirIn(dataDir: string): string {
  return join(dataDir, 'runs');
}

export function digitsDirIn(dataDir: string): string {
  return join(dataDir, 'digits');
}

/** Where the web host writes exported digit folders (it cannot show a folder dialog). */
export function exportsDirIn(dataDir: string): string {
  return join(dataDir, 'exports');
}

export function defaultRunsDir(env: NodeJS.ProcessEnv = process.env): string {
  return runsDirIn(defaultDataDir(env));
}

// Entry point of `npm run train` (see trainCommand.ts for what it does).

import { runTrainCommand } from './trainCommand';

process.exitCode = await runTrainCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });

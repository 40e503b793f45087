// Entry point of `npm run evaluate` (see evaluateCommand.ts).
import { runEvaluateCommand } from './evaluateCommand';

process.exitCode = await runEvaluateCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });

// Entry point of `npm run export` (see exportCommand.ts).
import { runExportCommand } from './exportCommand';

process.exitCode = await runExportCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });

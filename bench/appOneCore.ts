// The app-vs-loop comparison (appBench.ts) with one thread each; bench/run.ts starts this
// pinned to one core (`taskset -c 0`) and reads the JSON line it prints.
import { benchAppOverhead } from './appBench';

const [seconds, rounds] = process.argv.slice(2).map(Number);
benchAppOverhead(1, seconds, rounds)
  .then((result) => console.log(JSON.stringify(result)))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });

// Preloaded into a child process (node --import tsx --import <this>): on exit, writes the
// process's peak resident set size (getrusage's ru_maxrss, in bytes) to $DIGITRAIN_PEAK_RSS_FILE.
// A child of its own, so the figure is the command's and not the test runner's.
import { writeFileSync } from 'node:fs';

const file = process.env.DIGITRAIN_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
}

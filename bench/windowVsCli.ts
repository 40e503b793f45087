// Training speed with the window open against the command line, for one model (issue 15):
// the web host with the page in Chromium, the network view drawing a selected digit's feature
// maps and the weights as they change, against `npm run train` on the same model. Rounds
// alternate, so a noisy minute on a shared machine touches both alike.
//
//   npx tsx bench/windowVsCli.ts [--arch cnn] [--rounds 3] [--seconds 20] [--steps 800]
//
// The app's figure is the steps from Train to Stop over the wall time between the two clicks
// (its snapshots, the digit classified again with each of them, the messages and the page's
// drawing all included; no evaluation: every 1,000,000 steps); the command line's is its own
// `samplesPerSecond` (time in training steps). Both run in a session of their own at the lowest priority, as
// `npm run web` runs the host, so other work on the machine weighs on both alike; each round
// also says how many cores other programs kept busy (from /proc), and the rounds in which they
// kept almost none are summarised apart. Needs
// Chromium at /usr/bin/chromium (or CHROMIUM=path) and a renderer build (`npm run web` makes one).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright';
import { machineBusySeconds, treeCpuSeconds } from './procCpu';
import { median, round } from './timing';

interface Options {
  arch: string;
  rounds: number;
  seconds: number;
  steps: number;
}

/** A round counts as quiet when the rest of the machine used less than this many cores meanwhile. */
const QUIET_CORES = 0.1;

function options(argv: string[]): Options {
  const value = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  return { arch: value('--arch', 'cnn'), rounds: Number(value('--rounds', '3')), seconds: Number(value('--seconds', '20')), steps: Number(value('--steps', '800')) };
}

/** A command in a session of its own, lowered like `npm run web` lowers its host (sessionPriority.ts). */
function lowered(command: string, args: string[]): ChildProcess {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return spawn('sh', ['-c', `echo 19 > /proc/self/autogroup 2>/dev/null; exec ${quoted}`], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Round {
  samplesPerSecond: number;
  /** Cores the rest of the machine kept busy meanwhile (other programs, not this benchmark's). */
  others: number;
}

/** Follows what the rest of the machine does while `ours` (process trees) run. */
function watchOthers(ours: () => number[]): () => number {
  const mine = () => ours().reduce((sum, pid) => sum + treeCpuSeconds(pid), 0);
  const busy0 = machineBusySeconds();
  let last = mine();
  const start = last;
  const startedAt = Date.now();
  // A child's time vanishes from /proc when it exits: keep the last reading.
  const timer = setInterval(() => (last = Math.max(last, mine())), 250);
  return () => {
    clearInterval(timer);
    last = Math.max(last, mine());
    return Math.max(0, (machineBusySeconds() - busy0 - (last - start)) / ((Date.now() - startedAt) / 1000));
  };
}

async function cliRate(opts: Options, out: string): Promise<Round> {
  const child = lowered(process.execPath, ['--import', 'tsx', 'src/main/cli/train.ts', '--arch', opts.arch, '--steps', String(opts.steps), '--seed', '0', '--out', out]);
  const others = watchOthers(() => [process.pid]);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0) throw new Error(`train exited with ${code}: ${last}`);
  return { samplesPerSecond: (JSON.parse(last) as { samplesPerSecond: number }).samplesPerSecond, others: others() };
}

const step = async (page: Page) => Number(await page.getByTestId('step').getAttribute('data-step'));

/** Steps from Train to Stop over the wall time between the clicks: both step counts are exact (the trainer is idle at each). */
async function appRate(page: Page, seconds: number, batchSize: number, ours: number[]): Promise<Round> {
  const s0 = await step(page);
  const others = watchOthers(() => ours);
  const t0 = Date.now();
  await page.getByTestId('train-button').click();
  await page.waitForTimeout(seconds * 1000);
  await page.getByTestId('stop-button').click();
  const t1 = Date.now();
  const busy = others();
  await page.locator('[data-testid="status"][data-status="idle"]').waitFor();
  // Stop's answer carries the step the trainer stopped at.
  await page.waitForTimeout(500);
  return { samplesPerSecond: (((await step(page)) - s0) * batchSize * 1000) / (t1 - t0), others: busy };
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const port = await freePort();
  const host = spawn(process.execPath, ['scripts/web.mjs', '--port', String(port), '--no-build'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    host.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('running at') && resolve());
    host.on('exit', (code) => reject(new Error(`the web host exited with ${code}`)));
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('[data-testid="status"][data-status="idle"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('hp-preset').selectOption(opts.arch);
    await page.getByTestId('hp-eval-every').fill('1000000');
    await page.getByTestId('hp-eval-every').blur();
    await page.getByTestId('reset-button').click();
    await page.locator('[data-testid="step"][data-step="0"]').waitFor();
    // A few steps and Stop: the evaluation after Stop brings the samples; one becomes the digit every layer is drawn for.
    await page.getByTestId('train-button').click();
    await page.waitForTimeout(1500);
    await page.getByTestId('stop-button').click();
    await page.getByTestId('sample').first().click({ timeout: 120_000 });
    await page.locator('[data-testid="layer-maps"], [data-testid="layer-bars"]').first().waitFor();
    await page.getByTestId('network-view').scrollIntoViewIfNeeded();
    const batchSize = Number(await page.getByTestId('hp-batch').inputValue());

    const out = join(mkdtempSync(join(tmpdir(), 'digitrain-bench-')), 'model.safetensors');
    // This process's tree holds the host, the browser and the command line's runs.
    const ours = [process.pid];
    const rounds: { cli: Round; app: Round }[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      const cli = await cliRate(opts, out);
      const app = await appRate(page, opts.seconds, batchSize, ours);
      rounds.push({ cli, app });
      console.log(
        `round ${r + 1}: command line ${Math.round(cli.samplesPerSecond)} samples/s (other programs busy ${cli.others.toFixed(2)} cores), ` +
          `app with the window open ${Math.round(app.samplesPerSecond)} samples/s (others ${app.others.toFixed(2)} cores); ratio ${(app.samplesPerSecond / cli.samplesPerSecond).toFixed(3)}`,
      );
    }
    // Rounds in which other programs kept less than a tenth of a core busy, in both halves.
    const quiet = rounds.filter((r) => r.cli.others < QUIET_CORES && r.app.others < QUIET_CORES);
    const summary = (list: typeof rounds) =>
      list.length === 0
        ? null
        : {
            rounds: list.length,
            cli: Math.round(median(list.map((r) => r.cli.samplesPerSecond))),
            app: Math.round(median(list.map((r) => r.app.samplesPerSecond))),
            ratio: round(median(list.map((r) => r.app.samplesPerSecond / r.cli.samplesPerSecond)), 3),
          };
    const result = { arch: opts.arch, all: summary(rounds), quiet: summary(quiet), loadAverage: round(loadavg()[0], 2) };
    console.log(
      `median ratio app ÷ command line: ${result.all?.ratio} over all ${rounds.length} rounds; ${result.quiet ? `${result.quiet.ratio} over the ${quiet.length} quiet ones` : 'no quiet round'}`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    host.kill('SIGTERM');
  }
}

await main();

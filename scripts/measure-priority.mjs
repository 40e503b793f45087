// `node scripts/measure-priority.mjs [seconds] [rounds] [nice,nice,...]`: the trade behind the
// trainer's priority (issue 24). For each nice value, interleaved round by round so that the
// machine's other load falls on all of them alike, it starts a web host whose trainer runs at
// that nice (DIGITRAIN_TRAINER_NICE), opens the page in Chromium, trains, and measures for
// `seconds`: the training rate (steps/s from the step counter) and the window's frame times
// (requestAnimationFrame intervals in the page: the median, the 95th percentile and the share
// of frames over 50 ms). Needs a built renderer (`npm run web` once). Prints one line per run
// and a summary per nice value.
import { execFileSync, spawn } from 'node:child_process';
import { chromium } from 'playwright';

const seconds = Number(process.argv[2] ?? 15);
const rounds = Number(process.argv[3] ?? 2);
const nices = (process.argv[4] ?? '0,10,19').split(',').map(Number);

function startHost(nice) {
  const host = spawn(process.execPath, ['scripts/web.mjs', '--port', '0', '--no-build'], {
    env: { ...process.env, DIGITRAIN_TRAINER_NICE: String(nice) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise((resolve, reject) => {
    const read = (chunk) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    host.stdout.on('data', read);
    host.stderr.on('data', read);
    host.on('exit', (code) => reject(new Error(`host exited (${code}): ${output}`)));
  });
  return { host, url };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const results = new Map(nices.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  for (const nice of nices) {
    const { host, url } = startHost(nice);
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.setDefaultTimeout(300_000);
      await page.goto(await url, { timeout: 300_000 });
      const t0 = Date.now();
      const started = await page.waitForSelector('[data-testid="status"][data-status="idle"]', { timeout: 120_000 }).then(
        () => true,
        () => false,
      );
      if (!started) {
        console.log(`round ${round + 1} nice ${nice}: the trainer did not answer within 120 s of loading the page`);
        results.get(nice).push(null);
        await page.close();
        continue;
      }
      const startSeconds = (Date.now() - t0) / 1000;
      await page.getByTestId('train-button').click();
      await page.waitForSelector('[data-testid="status"][data-status="training"]');
      await page.waitForTimeout(3000); // start-up (the first evaluation) out of the window
      const step0 = Number(await page.getByTestId('step').getAttribute('data-step'));
      // The callback runs in the page, where requestAnimationFrame is a global.
      const frames = await page.evaluate(
        /* global requestAnimationFrame */
        (ms) =>
          new Promise((resolve) => {
            const deltas = [];
            let last = performance.now();
            const end = last + ms;
            const tick = (t) => {
              deltas.push(t - last);
              last = t;
              if (t < end) requestAnimationFrame(tick);
              else resolve(deltas);
            };
            requestAnimationFrame(tick);
          }),
        seconds * 1000,
      );
      const step1 = Number(await page.getByTestId('step').getAttribute('data-step'));
      await page.getByTestId('stop-button').click();
      const r = {
        startSeconds,
        stepsPerSecond: (step1 - step0) / seconds,
        median: quantile(frames, 0.5),
        p95: quantile(frames, 0.95),
        over50: frames.filter((d) => d > 50).length / frames.length,
      };
      results.get(nice).push(r);
      console.log(
        `round ${round + 1} nice ${nice}: ready ${r.startSeconds.toFixed(1)} s after load, ${r.stepsPerSecond.toFixed(1)} steps/s, frames median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${(100 * r.over50).toFixed(1)}% over 50 ms`,
      );
      await page.close();
    } finally {
      // The launcher runs the host in a session of its own (launchInOwnSession.ts): end that child too, by its id.
      let children = [];
      try {
        children = execFileSync('pgrep', ['-P', String(host.pid)], { encoding: 'utf8' })
          .split(/\s+/)
          .filter(Boolean)
          .map(Number);
      } catch {
        // none left
      }
      for (const pid of children) process.kill(pid, 'SIGKILL');
      host.kill('SIGKILL');
    }
  }
}
await browser.close();
const base = results.get(nices[0]);
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
for (const nice of nices) {
  const all = results.get(nice);
  const rs = all.filter((r) => r !== null);
  if (rs.length < all.length) console.log(`nice ${nice}: ${all.length - rs.length} of ${all.length} runs never got going`);
  if (rs.length === 0) continue;
  const ratio = mean(all.flatMap((r, i) => (r && base[i] ? [r.stepsPerSecond / base[i].stepsPerSecond] : [])));
  console.log(
    `nice ${nice}: ${mean(rs.map((r) => r.stepsPerSecond)).toFixed(1)} steps/s (×${ratio.toFixed(2)} of nice ${nices[0]}, same rounds), ` +
      `frames median ${mean(rs.map((r) => r.median)).toFixed(1)} ms, p95 ${mean(rs.map((r) => r.p95)).toFixed(1)} ms, ${(100 * mean(rs.map((r) => r.over50))).toFixed(1)}% over 50 ms`,
  );
}

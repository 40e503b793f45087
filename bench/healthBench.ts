// Issue 18: what the training-health collection costs a training step. The same Trainer steps
// with and without the health monitor's probe (per-step gradient norms; a full sample —
// histograms, dead units, update ratio — about once a second and on the first 20 steps), in
// alternating rounds so machine noise falls on both. `npx tsx bench/healthBench.ts [mlp|cnn] [rounds] [steps]`
import { enableParallel } from '../src/engine/parallel';
import { loadMnist } from '../src/main/data/loadMnist';
import { HealthMonitor } from '../src/main/training/health';
import { Trainer } from '../src/main/training/trainer';
import { defaultConfig } from '../src/shared/contract';
import { PRESETS } from '../src/shared/model/presets';

const arch = (process.argv[2] ?? 'mlp') as keyof typeof PRESETS;
const rounds = Number(process.argv[3] ?? 6);
const steps = Number(process.argv[4] ?? (arch === 'mlp' ? 600 : 60));
enableParallel();
const data = loadMnist();
const config = { ...defaultConfig(), model: PRESETS[arch].spec };
// One trainer, the probe on in every other round: the same weights, allocations and JIT state for both.
const trainer = new Trainer(data, config);
const monitor = new HealthMonitor();
for (let i = 0; i < 30; i++) trainer.trainStep(i % 2 ? monitor.probe(trainer.model, 1, trainer.step + 1) : undefined);
const times = { off: [] as number[], on: [] as number[] };
// The probe's own time, measured inside it (immune to the machine's noise between rounds).
let probeMs = 0;
let probedSteps = 0;
function timed(step: number) {
  const probe = monitor.probe(trainer.model, 1, step)!;
  probedSteps++;
  const wrap = <A extends unknown[]>(f: ((...a: A) => void) | undefined) =>
    f &&
    ((...a: A) => {
      const t0 = performance.now();
      f(...a);
      probeMs += performance.now() - t0;
    });
  // wantsOutputs too: a sampled step's forward keeps every layer's output (unfused), part of what a sample costs.
  return { wantsOutputs: probe.wantsOutputs, beforeStep: wrap(probe.beforeStep), afterForward: wrap(probe.afterForward), afterBackward: wrap(probe.afterBackward), afterStep: wrap(probe.afterStep) };
}
for (let r = 0; r < rounds; r++) {
  for (const on of r % 2 === 0 ? [false, true] : [true, false]) {
    const t = trainer;
    const start = performance.now();
    for (let i = 0; i < steps; i++) {
      t.trainStep(on ? timed(t.step + 1) : undefined);
      if (on && i % 25 === 0) monitor.event(1);
    }
    (on ? times.on : times.off).push((performance.now() - start) / steps);
  }
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const off = median(times.off);
const on = median(times.on);
console.log(
  JSON.stringify({
    arch,
    steps,
    rounds,
    msPerStepOff: +off.toFixed(3),
    msPerStepOn: +on.toFixed(3),
    overheadPercent: +((100 * (on - off)) / off).toFixed(1),
    probeMsPerStep: +(probeMs / probedSteps).toFixed(4),
    probeSharePercent: +((100 * probeMs) / probedSteps / off).toFixed(2),
    samples: monitor.view(1).samples.length,
  }),
);
process.exit(0);

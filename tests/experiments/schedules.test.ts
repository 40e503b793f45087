// Learning-rate schedules against torch.optim.lr_scheduler (tests/fixtures/experiments.json,
// made by tests/fixtures/make_experiments.py): the rate at chosen steps of every schedule, for
// the PyTorch scheduler each stands for, and how the registry is validated and switched.
import { describe, expect, it } from 'vitest';
import { readFixtureJson } from '../engine/fixtures';
import { HYPERPARAMETERS } from '../../src/shared/optimizers';
import { learningRateAt, SCHEDULE_NAMES, SCHEDULES, switchSchedule, type ScheduleConfig } from '../../src/shared/schedules';
import { ContractError, validateOptimizerConfig, validateSchedule } from '../../src/shared/validate';

interface ScheduleCase {
  name: string;
  lr: number;
  schedule: ScheduleConfig;
  steps: number[];
  lr_at_step: number[];
}

const { schedules } = readFixtureJson<{ schedules: ScheduleCase[] }>('experiments.json');

describe('schedules match torch.optim.lr_scheduler', () => {
  it('the fixture covers every registered schedule', () => {
    expect(new Set(schedules.map((c) => c.schedule.type))).toEqual(new Set(SCHEDULE_NAMES));
  });

  for (const c of schedules) {
    it(c.name, () => {
      const optimizer = validateOptimizerConfig({ type: 'sgd', hyper: { lr: c.lr }, schedule: c.schedule });
      c.steps.forEach((t, i) => {
        const want = c.lr_at_step[i];
        // PyTorch steps its schedulers recursively in float64; the closed forms agree to rounding.
        expect(Math.abs(learningRateAt(optimizer, t) - want), `step ${t}: ${learningRateAt(optimizer, t)} vs ${want}`).toBeLessThanOrEqual(1e-12 * c.lr + 1e-15);
      });
    });
  }

  it('past their length the cosines stay at their final rate (PyTorch would climb again)', () => {
    const cosine = validateOptimizerConfig({ type: 'adam', hyper: { lr: 0.1 }, schedule: { type: 'cosine', hyper: { scheduleSteps: 100, minLrFactor: 0.2 } } });
    for (const t of [100, 101, 150, 10_000]) expect(learningRateAt(cosine, t)).toBeCloseTo(0.02, 15);
    const warm = validateOptimizerConfig({ type: 'adam', hyper: { lr: 0.1 }, schedule: { type: 'warmup-cosine', hyper: { warmupSteps: 10, scheduleSteps: 100 } } });
    expect(learningRateAt(warm, 5000)).toBe(0);
  });
});

describe('schedules in the optimizer registry', () => {
  it('every schedule setting is a hyperparameter with one range, and every default is in it', () => {
    for (const name of SCHEDULE_NAMES) {
      for (const [key, value] of Object.entries(SCHEDULES[name].defaults)) {
        const setting = HYPERPARAMETERS[key as keyof typeof HYPERPARAMETERS];
        expect(setting, `${name}.${key}`).toBeDefined();
        expect(value).toBeGreaterThanOrEqual(setting.min);
        expect(value).toBeLessThanOrEqual(setting.max);
      }
      expect(validateSchedule({ type: name })).toEqual({ type: name, hyper: { ...SCHEDULES[name].defaults } });
    }
  });

  it("absent is constant; settings left out take the schedule's defaults", () => {
    expect(validateOptimizerConfig({ type: 'adam' }).schedule).toEqual({ type: 'constant', hyper: {} });
    expect(validateSchedule({ type: 'step', hyper: { decayEvery: 7 } })).toEqual({ type: 'step', hyper: { decayEvery: 7, decayFactor: 0.5 } });
  });

  it.each([
    [{ type: 'exponential' }, /schedule type must be one of constant, step, cosine, warmup-cosine/],
    [{ type: 'cosine', hyper: { decayEvery: 3 } }, /the cosine schedule has no hyperparameter "decayEvery" \(it takes scheduleSteps, minLrFactor\)/],
    [{ type: 'constant', hyper: { scheduleSteps: 3 } }, /it takes none/],
    [{ type: 'cosine', hyper: { scheduleSteps: 1.5 } }, /scheduleSteps must be an integer from 2/],
    [{ type: 'step', hyper: { decayFactor: 2 } }, /decayFactor must be from 0.001 to 1/],
    [{ type: 'warmup-cosine', hyper: { warmupSteps: 500, scheduleSteps: 500 } }, /length \(500 steps\) must be longer than its warm-up \(500\)/],
    [{ type: 'cosine', extra: 1 }, /schedule has only "type" and "hyper"/],
    ['cosine', /schedule must be an object/],
    [{ type: 'toString' }, /schedule type must be one of/],
  ])('refuses %j', (schedule, message) => {
    expect(() => validateOptimizerConfig({ type: 'sgd', schedule })).toThrow(ContractError);
    expect(() => validateOptimizerConfig({ type: 'sgd', schedule })).toThrow(message);
  });

  it('switching keeps the settings two schedules share', () => {
    const cosine: ScheduleConfig = { type: 'cosine', hyper: { scheduleSteps: 3000, minLrFactor: 0.05 } };
    expect(switchSchedule(cosine, 'warmup-cosine')).toEqual({ type: 'warmup-cosine', hyper: { warmupSteps: 100, warmupStartFactor: 0.01, scheduleSteps: 3000, minLrFactor: 0.05 } });
    expect(switchSchedule(cosine, 'constant')).toEqual({ type: 'constant', hyper: {} });
  });
});

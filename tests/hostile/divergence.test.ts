// Issue 12, item 3: lr = 1e30 (over the socket, or from a file's optim.hyper) was accepted;
// from step 2 every loss was NaN, the status stayed "training" with no error, and Save then
// wrote 82 320 NaNs into l1.weight, a file the app itself refuses to load.
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/main/data/loadMnist';
import { DivergedError } from '../../src/main/training/divergence';
import { TrainingSession } from '../../src/main/training/session';
import { Trainer } from '../../src/main/training/trainer';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { createWeightsCommands } from '../../src/main/weights/weightsCommands';
import type { EventMap, TrainConfig } from '../../src/shared/contract';
import { validateConfigPatch, validateRequest } from '../../src/shared/validate';
import { waitFor } from '../app/helpers';
import { makeParams, mlpConfig } from '../weights/helpers';

const adam = (lr: number) => ({ type: 'adam' as const, hyper: { lr } });

const mnist = loadMnist();
const data = { train: mnist.train, test: { ...mnist.test, count: 300, images: mnist.test.images.subarray(0, 300 * 784), labels: mnist.test.labels.subarray(0, 300) } };

function setup(config: Partial<TrainConfig> = {}) {
  const errors: string[] = [];
  const statuses: EventMap['status'][] = [];
  const session = new TrainingSession({
    createTrainer: (c) => new Trainer(data, c),
    emit: (event, payload) => {
      if (event === 'error') errors.push((payload as EventMap['error']).message);
      if (event === 'status') statuses.push(payload as EventMap['status']);
    },
  });
  session.reset({ ...mlpConfig(16, { evalEvery: 1_000_000 }), ...config });
  return { session, errors, statuses, trainer: () => session.ensureTrainer() as Trainer, weights: createWeightsCommands(session) };
}

const copies = (trainer: Trainer) => [...trainer.model.stateDict().values()].map((t) => Float32Array.from(t.data));

describe('a learning rate that cannot train is refused where it enters', () => {
  it.each([1e30, 11, Infinity])('lr %s over the contract (socket, IPC), for every optimizer', (lr) => {
    for (const type of ['adam', 'sgd']) {
      expect(() => validateConfigPatch({ optimizer: { type, hyper: { lr } } })).toThrow(/lr must be (a number )?from 1e-7 to 10/);
      expect(() => validateRequest('reset', [{ optimizer: { type, hyper: { lr } } }])).toThrow(/^reset: lr must be/);
      expect(() => validateRequest('train', [{ optimizer: { type, hyper: { lr } } }])).toThrow(/^train: lr must be/);
    }
  });

  it("from a weights file's optimizer state (optim.hyper)", () => {
    const { session, weights } = setup();
    const before = session.getState().config;
    const file = encodeWeightsFile({
      params: makeParams(16),
      config: mlpConfig(16),
      step: 3,
      testAccuracy: null,
      optimizer: { kind: 'adam', hyper: { lr: 1e30, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, step: 0, buffers: {} },
    });
    expect(() => weights.loadWeightsFile('diverging.safetensors', file)).toThrow('the optimizer state cannot be trained with: lr must be from 1e-7 to 10 (got 1e+30)');
    expect(session.getState().config).toEqual(before);
  });
});

describe('a run whose loss becomes NaN stops at once and keeps its last finite weights', () => {
  it('the session reports the step and what to change, and the weights are those of the step before', async () => {
    const { session, errors, statuses, trainer, weights } = setup();
    // What lr 1e30 did to the weights, without the contract's range check in the way.
    trainer().optimizer.lr = 1e30;
    trainer().trainStep(); // step 1: a finite loss, weights ~1e30 after the update
    const afterStep1 = copies(trainer());
    session.train({});
    await waitFor(() => session.getState().status !== 'training', 'the run to stop');
    const state = session.getState();
    expect(state.status).toBe('error');
    expect(state.error).toMatch(/^training failed: the loss became (NaN|Infinity) at step 2: the learning rate \(lr 0\.001 with adam\)/);
    expect(state.error).toMatch(/weights are kept as they were after step 1; lower the learning rate and train again, or reset/);
    expect(state.error!.length).toBeLessThan(500);
    expect(errors).toEqual([state.error]);
    expect(statuses.at(-1)).toMatchObject({ status: 'error', step: 1 });
    expect(trainer().step).toBe(1);
    expect(copies(trainer())).toEqual(afterStep1);
    expect(afterStep1.every((values) => values.every(Number.isFinite))).toBe(true);
    // No NaN ever reached the history the charts draw.
    expect(state.history.loss.every(Number.isFinite)).toBe(true);

    // Restorable: saving gives a file of finite numbers (loading it is item 4's business), and Reset trains again.
    const file = decodeWeightsFile(weights.weightsFile('weights').bytes);
    expect([...file.tensors.values()].every((p) => p.data.every(Number.isFinite))).toBe(true);
    session.reset({ optimizer: adam(1e-3) });
    session.train({});
    await waitFor(() => session.getState().step >= 3, 'training to resume after a reset');
    session.stop();
    expect(session.getState().status).toBe('idle');
  });

  it('Trainer.trainStep checks the loss before the optimizer step', () => {
    const trainer = new Trainer(data, mlpConfig(8));
    const w = trainer.model.stateDict().get('l2.bias')!;
    w.data[3] = Number.NaN; // a forward pass that cannot be finite
    const before = copies(trainer);
    expect(() => trainer.trainStep()).toThrow(DivergedError);
    expect(trainer.step).toBe(0);
    expect(copies(trainer)).toEqual(before);
  });
});

describe('nothing non-finite is ever saved', () => {
  it('weights or optimizer buffers with NaN are refused by every writer', () => {
    const params = makeParams(4);
    params.get('l1.weight')!.data[7] = Number.NaN;
    const config = mlpConfig(4);
    expect(() => encodeWeightsFile({ params, config, step: 1, testAccuracy: null })).toThrow(
      "the model's l1.weight holds NaN at index 7: values that are not finite cannot be saved (reset, or load a weights file)",
    );
    const clean = makeParams(4);
    const buffers = { '0.exp_avg': new Float32Array(4 * 784).fill(Infinity), '0.exp_avg_sq': new Float32Array(4 * 784) };
    expect(() => encodeWeightsFile({ params: clean, config, step: 1, testAccuracy: null, optimizer: { kind: 'adam', hyper: { lr: 1e-3 }, step: 1, buffers } })).toThrow(
      /the optimizer's 0.exp_avg holds Infinity at index 0/,
    );
  });
});

import { describe, expect, test } from 'vitest';
import { CONTRACT_VERSION, defaultConfig } from '../../src/shared/contract';
import { mlpSpec } from '../../src/shared/model/spec';
import { KNOWN_OPTIMIZERS, UNKNOWN_OPTIMIZER } from './unknownOptimizer';
import { ContractError, validateConfigPatch, validatePixels, validateRequest, validateRpcRequest } from '../../src/shared/validate';

describe('request validation', () => {
  test('accepts every well-formed request and returns typed arguments', () => {
    expect(validateRequest('getState', [])).toEqual({ method: 'getState', args: [] });
    const sgd = { type: 'sgd', hyper: { lr: 0.05, momentum: 0.5, nesterov: 1, weightDecay: 1e-4 }, schedule: { type: 'cosine', hyper: { scheduleSteps: 500, minLrFactor: 0.1 } } };
    expect(validateRequest('train', [{ optimizer: sgd, epochs: null }])).toEqual({ method: 'train', args: [{ optimizer: sgd, epochs: null }] });
    // Hyperparameters left out take the optimizer's defaults; no schedule is the constant one.
    expect(validateRequest('train', [{ optimizer: { type: 'sgd' } }]).args[0]).toEqual({
      optimizer: { type: 'sgd', hyper: { lr: 0.01, momentum: 0.9, nesterov: 0, weightDecay: 0 }, schedule: { type: 'constant', hyper: {} } },
    });
    expect(validateRequest('train', [])).toEqual({ method: 'train', args: [{}] });
    expect(validateRequest('reset', [defaultConfig()]).args[0]).toEqual(defaultConfig());
    // A layer's settings left out take their defaults: the spec comes back explicit.
    const bare = { input: [784], layers: [{ name: 'fc', type: 'linear', out: 10 }] };
    expect(validateRequest('reset', [{ model: bare }]).args[0]).toEqual({ model: { input: [784], layers: [{ name: 'fc', type: 'linear', out: 10, bias: true }] } });
    expect(validateRequest('saveWeights', [{ includeOptimizer: true }]).args).toEqual([{ includeOptimizer: true }]);
    expect(validateRequest('exportWeights', ['onnx']).args).toEqual(['onnx']);
    const pixels = validateRequest('classify', [new Array(784).fill(0.5)]);
    expect(pixels.args[0]).toHaveLength(784);
  });

  test.each([
    ['train', [{ optimizer: { type: 'adam', hyper: { lr: Number.NaN } } }], /^train: lr must be a number from 1e-7 to 10 \(got NaN\)/],
    ['train', [{ optimizer: { type: 'adam', hyper: { lr: -1 } } }], /lr must be from 1e-7 to 10 \(got -1\)/],
    ['train', [{ optimizer: { type: 'adam', hyper: { lr: 1e30 } } }], /lr must be from 1e-7 to 10 \(got 1e\+30\)/],
    ['train', [{ optimizer: { type: 'adam', hyper: { lr: '0.1' } } }], /lr must be a number from 1e-7 to 10 \(got "0.1"\)/],
    ['train', [{ optimizer: { type: 'adam', hyper: { momentum: 0.9 } } }], /adam has no hyperparameter "momentum" \(it takes lr, weightDecay\)/],
    ['train', [{ optimizer: { type: 'sgd', hyper: { momentum: 1 } } }], /momentum must be from 0 to 0.999/],
    ['train', [{ optimizer: { type: 'sgd', hyper: { toString: 1 } } }], /sgd has no hyperparameter "toString"/],
    ['train', [{ optimizer: { type: UNKNOWN_OPTIMIZER } }], new RegExp(`optimizer type must be one of ${KNOWN_OPTIMIZERS} \\(got "${UNKNOWN_OPTIMIZER}"\\)`)],
    ['train', [{ optimizer: { type: 'sgd', hyper: { momentum: 0, nesterov: 1 } } }], /optimizer: Nesterov momentum needs momentum above 0/],
    ['train', [{ optimizer: 'adam' }], /optimizer must be an object \{ type, hyper, schedule \}/],
    ['train', [{ batchSize: 0 }], /batchSize must be from 1 to 4096/],
    ['train', [{ batchSize: 2.5 }], /batchSize must be an integer/],
    ['train', [{ epochs: 0 }], /epochs must be from 0.01 to 1000/],
    ['reset', [{ model: { input: [784], layers: [{ name: 'l1', type: 'linear', out: 100000 }] } }], /layer "l1" \(linear\): out must be from 1 to 4096/],
    ['reset', [{ model: { input: [784], layers: [{ name: 'x', type: 'conv9' }] } }], /layer "x": unknown type "conv9" \(known: linear, conv2d, maxpool2d/],
    [
      'reset',
      [
        {
          model: {
            input: [784],
            layers: [
              { name: 'a', type: 'relu' },
              { name: 'a', type: 'linear', out: 10 },
            ],
          },
        },
      ],
      /layer "a": the name is used twice/,
    ],
    ['reset', [{ model: { input: [784], layers: [{ name: 'l 1', type: 'linear', out: 10 }] } }], /layer 1 needs a name of letters, digits and _/],
    ['reset', [{ model: { input: [784], layers: [{ name: 'optim', type: 'linear', out: 10 }] } }], /"optim" is reserved/],
    ['reset', [{ model: { input: [784], layers: [{ name: 'l1', type: 'linear', out: 64 }] } }], /must end with 10 outputs.*"l1" \(linear\) gives \[64\]/],
    [
      'reset',
      [{ model: { input: [1, 28, 28], layers: [{ name: 'fc', type: 'linear', out: 10 }] } }],
      /layer "fc" \(linear\): a linear layer needs a flat vector.*\[1, 28, 28\]: put a flatten layer before it/,
    ],
    ['reset', [{ model: { input: [100], layers: [{ name: 'fc', type: 'linear', out: 10 }] } }], /input must be \[784\] or \[1, 28, 28\]/],
    ['reset', [{ model: { input: [784], layers: [{ name: 'fc', type: 'linear', out: 10, units: 3 }] } }], /unknown setting "units" \(known: out, bias\)/],
    ['reset', [{ model: { input: [784], layers: [] } }], /needs a non-empty list of layers/],
    ['reset', [{ model: mlpSpec(4096), extra: 1 }], /unknown setting 'extra'/],
    ['train', [{ seed: -1 }], /seed must be from 0 to 4294967295/],
    ['train', [{ evalEvery: 0 }], /evalEvery must be from 1 to 1000000/],
    ['train', [{ learningRate: 0.1 }], /unknown setting 'learningRate'/],
    ['train', ['fast'], /config must be an object \(got "fast"\)/],
    ['train', [[1, 2]], /config must be an object \(got an array\)/],
    ['classify', [[1, 2, 3]], /pixels must be 784 numbers in \[0, 1\] \(got 3 values\)/],
    ['classify', ['abc'], /pixels must be 784 numbers in \[0, 1\] \(got "abc"\)/],
    ['classify', [new Array(784).fill(2)], /pixel 0 is 2/],
    ['classify', [[...new Array(783).fill(0), Number.NaN]], /pixel 783 is NaN/],
    ['classify', [new Array(784).fill('0')], /pixel 0 is "0"/],
    ['saveWeights', [{ includeOptimizer: 'yes' }], /includeOptimizer: boolean/],
    ['exportWeights', ['tflite'], /export format must be 'pytorch' or 'onnx'/],
    ['launchMissiles', [], /unknown request "launchMissiles"/],
    [42, [], /unknown request 42/],
  ] as const)('%s %j → %s', (method, args, message) => {
    expect(() => validateRequest(method, args)).toThrow(ContractError);
    expect(() => validateRequest(method, args)).toThrow(message);
  });

  test('arguments must be an array', () => {
    expect(() => validateRequest('stop', { 0: 1 })).toThrow(/stop: arguments must be an array/);
  });

  test('a full config is a valid patch of every key', () => {
    expect(validateConfigPatch(defaultConfig())).toEqual(defaultConfig());
  });

  test('undefined values in a patch are dropped, not applied', () => {
    expect(validateConfigPatch({ batchSize: undefined, seed: 3 })).toEqual({ seed: 3 });
  });

  test.each(Object.getOwnPropertyNames(Object.prototype))('the Object.prototype name %s is not a setting anywhere', (name) => {
    expect(() => validateConfigPatch(JSON.parse(`{"${name}": 5}`))).toThrow(/unknown setting/);
    expect(() => validateConfigPatch({ optimizer: JSON.parse(`{"type": "adam", "hyper": {"${name}": 0.1}}`) })).toThrow(/has no hyperparameter/);
    expect(() => validateConfigPatch({ model: { input: [784], layers: [JSON.parse(`{"name": "fc", "type": "linear", "out": 10, "${name}": 1}`)] } })).toThrow(/unknown setting/);
    expect(() => validateConfigPatch({ model: { input: [784], layers: [{ name: 'fc', type: name }] } })).toThrow(/unknown type/);
  });

  test('pixels may arrive as a plain array and come out as a Float32Array, the form the model reads', () => {
    const out = validatePixels(new Array(784).fill(0.25));
    expect(out).toBeInstanceOf(Float32Array);
    expect(out[783]).toBe(0.25);
  });
});

describe('rpc envelopes', () => {
  test('carry the contract version and an integer id', () => {
    expect(validateRpcRequest({ v: CONTRACT_VERSION, id: 7, method: 'stop', args: [] })).toEqual({ id: 7, method: 'stop', args: [] });
    expect(() => validateRpcRequest({ v: 999, id: 7, method: 'stop', args: [] })).toThrow(/contract version mismatch.*says 999/);
    expect(() => validateRpcRequest({ v: CONTRACT_VERSION, method: 'stop', args: [] })).toThrow(/needs an integer id/);
    expect(() => validateRpcRequest('stop')).toThrow(/a request must be an object/);
    expect(() => validateRpcRequest(null)).toThrow(/a request must be an object \(got null\)/);
  });
});

import { describe, expect, test } from 'vitest';
import { CONTRACT_VERSION, DEFAULT_CONFIG } from '../../src/shared/contract';
import {
  ContractError,
  validateConfig,
  validateConfigPatch,
  validatePixels,
  validateRequest,
  validateRpcRequest,
} from '../../src/shared/validate';

describe('request validation', () => {
  test('accepts every well-formed request and returns typed arguments', () => {
    expect(validateRequest('getState', [])).toEqual({ method: 'getState', args: [] });
    expect(validateRequest('train', [{ lr: 0.01, epochs: null }])).toEqual({ method: 'train', args: [{ lr: 0.01, epochs: null }] });
    expect(validateRequest('train', [])).toEqual({ method: 'train', args: [{}] });
    expect(validateRequest('reset', [{ ...DEFAULT_CONFIG }]).args[0]).toEqual(DEFAULT_CONFIG);
    expect(validateRequest('saveWeights', [{ includeOptimizer: true }]).args).toEqual([{ includeOptimizer: true }]);
    expect(validateRequest('exportWeights', ['onnx']).args).toEqual(['onnx']);
    const pixels = validateRequest('classify', [new Array(784).fill(0.5)]);
    expect(pixels.args[0]).toHaveLength(784);
  });

  test.each([
    ['train', [{ lr: Number.NaN }], /^train: lr must be a positive finite number no larger than 10 \(got NaN\)/],
    ['train', [{ lr: -1 }], /lr must be a positive finite number/],
    ['train', [{ lr: 1e30 }], /lr must be a positive finite number no larger than 10 \(got 1e\+30\)/],
    ['train', [{ lr: '0.1' }], /lr must be a positive finite number no larger than 10 \(got "0.1"\)/],
    ['train', [{ batchSize: 0 }], /batchSize must be an integer from 1 to/],
    ['train', [{ batchSize: 2.5 }], /batchSize must be an integer/],
    ['train', [{ hidden: 100000 }], /hidden must be an integer from 1 to 4096/],
    ['train', [{ optimizer: 'rmsprop' }], /optimizer must be 'adam' or 'sgd'/],
    ['train', [{ momentum: 1 }], /momentum must be a number in \[0, 1\)/],
    ['train', [{ epochs: 0 }], /epochs .* must be a positive finite number/],
    ['train', [{ epochs: 1e300 }], /epochs .* must be a positive finite number no larger than 1000000/],
    ['train', [{ seed: -1 }], /seed must be an integer/],
    ['train', [{ evalEvery: 0 }], /evalEvery must be an integer/],
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

  test('a full config needs every key', () => {
    expect(validateConfig({ ...DEFAULT_CONFIG })).toEqual(DEFAULT_CONFIG);
    expect(() => validateConfig({ lr: 0.1 })).toThrow(/config is missing hidden, batchSize/);
  });

  test('undefined values in a patch are dropped, not applied', () => {
    expect(validateConfigPatch({ lr: undefined, seed: 3 })).toEqual({ seed: 3 });
  });

  test('pixels may arrive as a Float32Array and come out as a plain array', () => {
    const out = validatePixels(new Float32Array(784).fill(0.25));
    expect(Array.isArray(out)).toBe(true);
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

// The inspection requests in the training worker (shared/inspect.ts): answered between two
// training steps, over the whole test set, and cached per weights, so that asking again for
// another page or another unit of the same layer costs no forward pass.
//
// The gallery pages through the answers of the last evaluation (the one the confusion matrix
// shows, so a cell's count is the gallery's); while idle at weights no evaluation has seen (after
// Reset or Restore best) it answers from those weights. A unit is always shown at the live weights.
import type { MnistSet } from '../../../engine/data/mnist';
import type { TestPage, TestPageQuery, UnitInspection, UnitQuery } from '../../../shared/inspect';
import { describeModel } from '../../../shared/model/describe';
import type { ModelSpec } from '../../../shared/model/spec';
import type { SpecModel } from '../../model/specModel';
import { computeTestOutputs, testPage, type TestOutputs } from './testOutputs';
import { inspectUnit, layerActivations, unitLayers, type LayerActivations } from './units';

/** What the inspector needs of the Trainer (trainer.ts). */
export interface InspectableTrainer {
  readonly step: number;
  readonly config: { model: ModelSpec };
  readonly testOutputs: TestOutputs | null;
  inspect<T>(fn: (model: SpecModel, test: MnistSet) => T): T;
  weights(): ReadonlyMap<string, { readonly data: Float32Array; readonly shape: readonly number[] }>;
}

interface Live {
  trainer: InspectableTrainer;
  training: boolean;
}

/** Which weights: the trainer object, its step, and a checksum of every parameter (Restore best goes back to an earlier step of the same trainer). */
interface WeightsKey {
  trainer: InspectableTrainer;
  step: number;
  sum: number;
}

function keyOf(trainer: InspectableTrainer): WeightsKey {
  let sum = 0;
  for (const { data } of trainer.weights().values()) {
    for (let i = 0; i < data.length; i += 1) sum += data[i] * ((i % 13) + 1);
  }
  return { trainer, step: trainer.step, sum };
}

function sameKey(a: WeightsKey | null, b: WeightsKey): boolean {
  return a !== null && a.trainer === b.trainer && a.step === b.step && (a.sum === b.sum || (Number.isNaN(a.sum) && Number.isNaN(b.sum)));
}

export class Inspector {
  private outputs: { key: WeightsKey; outputs: TestOutputs } | null = null;
  private activations: { key: WeightsKey; acts: LayerActivations } | null = null;

  /** `checkpoint` is called between chunks of a pass over the test set; it throws to stop a pass whose request was called off. */
  constructor(
    private readonly live: () => Live,
    private readonly checkpoint: () => void = () => undefined,
  ) {}

  testPage(query: TestPageQuery): TestPage {
    const { trainer, training } = this.live();
    return trainer.inspect((model, test) => testPage(this.outputsFor(trainer, training, model, test), test, query));
  }

  private outputsFor(trainer: InspectableTrainer, training: boolean, model: SpecModel, test: MnistSet): TestOutputs {
    const evaluated = trainer.testOutputs;
    // While training, the last evaluation's answers: the weights move on at every step, the matrix shows that evaluation.
    if (evaluated && (training || evaluated.step === trainer.step)) return evaluated;
    const key = keyOf(trainer);
    if (!sameKey(this.outputs?.key ?? null, key)) this.outputs = { key, outputs: computeTestOutputs(model, test, trainer.step, this.checkpoint) };
    return this.outputs!.outputs;
  }

  inspectUnit(query: UnitQuery): UnitInspection {
    const { trainer } = this.live();
    const spec = trainer.config.model;
    const info = describeModel(spec);
    const layers = unitLayers(info);
    const layer = layers.find((l) => l.name === query.layer);
    if (!layer) {
      const names = layers.map((l) => l.name);
      throw new Error(`${query.layer} has no units to inspect (${names.length > 0 ? `these layers have: ${names.join(', ')}` : 'this model has no hidden layer'})`);
    }
    if (query.unit >= layer.units) throw new Error(`${layer.name} has ${layer.units} ${layer.kind === 'conv' ? 'filters' : 'units'}, numbered from 0 (got ${query.unit})`);
    const key = keyOf(trainer);
    const cached = this.activations;
    const acts = cached && sameKey(cached.key, key) && cached.acts.layer.name === layer.name ? cached.acts : trainer.inspect((model, test) => layerActivations(model, test, layer, this.checkpoint));
    this.activations = { key, acts };
    return trainer.inspect((_model, test) => inspectUnit(info, spec, trainer.weights(), acts, test, query.unit, trainer.step));
  }
}

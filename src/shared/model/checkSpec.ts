// Every problem of a spec at once, each at its layer: what the architecture editor shows while
// the learner builds a network. validateModelSpec refuses a spec at its first problem; this
// reads a spec of known layer types and valid settings (as the editor builds them) and goes on
// past each problem, so every card can say what is wrong with it and what it produces. The
// first problem it finds is the one validation would refuse the spec with (a test holds the two
// to the same rules and messages).
import { costProblem, modelCost } from './cost';
import { describeLayer, describeModel, type LayerInfo } from './describe';
import { LayerShapeError } from './layerKind';
import type { ModelSpec } from './spec';
import type { Shape } from './shape';
import { layerNameProblem, MAX_LAYERS, outputProblem, paramCountProblem } from './validateSpec';

export interface LayerCheck {
  /** Shapes and parameters when the layers before it fit together and it takes its input; else null. */
  info: LayerInfo | null;
  /** What is wrong with this layer, without its name (the card shows it), or null. */
  problem: string | null;
}

export interface SpecCheck {
  layers: LayerCheck[];
  /** The model's output shape, when every layer takes its input. */
  output: Shape | null;
  /** Parameters of the layers whose shapes are known. */
  paramCount: number;
  /** What is wrong with the model as a whole (no layers, too many, too many parameters), or null. */
  modelProblem: string | null;
  /** The first problem, as validation words it (naming the layer): why the spec cannot be trained; null when it can. */
  problem: string | null;
}

export function checkModelSpec(spec: ModelSpec): SpecCheck {
  const names = new Set<string>();
  let nameProblem: string | null = null;
  let shapeProblem: string | null = null;
  let shape: Shape | null = spec.input;
  const layers = spec.layers.map((layer, index): LayerCheck => {
    const named = layerNameProblem(layer.name, index, names);
    names.add(layer.name);
    nameProblem ??= named?.message ?? null;
    let info: LayerInfo | null = null;
    let problem = named?.reason ?? null;
    if (shape !== null) {
      try {
        info = describeLayer(layer, shape);
      } catch (error) {
        if (!(error instanceof LayerShapeError)) throw error;
        shapeProblem ??= error.message;
        problem ??= error.reason;
      }
    }
    shape = info?.output ?? null;
    return { info, problem };
  });

  const paramCount = layers.reduce((sum, l) => sum + (l.info?.paramCount ?? 0), 0);
  let output: Shape | null = shape;
  let modelProblem: string | null = null;
  if (spec.layers.length === 0) {
    modelProblem = 'a model needs a non-empty list of layers';
    output = null;
  } else if (spec.layers.length > MAX_LAYERS) {
    modelProblem = `a model may have at most ${MAX_LAYERS} layers (got ${spec.layers.length})`;
  }
  let lastProblem: string | null = null;
  if (output !== null && spec.layers.length > 0) {
    lastProblem = outputProblem(spec.layers, output);
    const last = layers[layers.length - 1];
    last.problem ??= lastProblem;
  }
  if (modelProblem === null && shapeProblem === null) modelProblem = paramCountProblem(paramCount);
  // Every shape known: what one image costs (a spec that validation would otherwise accept).
  if (modelProblem === null && shapeProblem === null) modelProblem = costProblem(modelCost(describeModel(spec)));
  return { layers, output, paramCount, modelProblem, problem: firstProblem(spec, modelProblem, nameProblem, shapeProblem, lastProblem) };
}

/** In the order validation checks: the layer list, the names, the shapes, the output, the size. */
function firstProblem(spec: ModelSpec, model: string | null, name: string | null, shape: string | null, output: string | null): string | null {
  if (spec.layers.length === 0 || spec.layers.length > MAX_LAYERS) return model;
  return name ?? shape ?? output ?? model;
}

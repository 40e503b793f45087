// The network as a learner would draw it, from its spec: the input, each layer that changes
// the representation (its output's size, the in-place layers that follow it in the caption),
// what each one costs in parameters, and the total. A model too wide for one row goes on to the
// next, a layer with the arrow that leads to it (issue 24: a scrolled row hid the output box).
import { MNIST_COLS, MNIST_ROWS } from '../../shared/mnist';
import { useModelInfo } from '../hooks/useModel';
import { stagesOf } from '../lib/diagram';
import { formatInt, shapeText } from '../lib/format';

function Layer({ kind, shape, caption, sizeTestId, name }: { kind: string; shape: readonly number[]; caption: string; sizeTestId?: string; name?: string }) {
  return (
    <div className="layer" data-layer={name}>
      <div className={`layer-box layer-${kind}`}>
        <strong data-testid={sizeTestId}>{shapeText(shape)}</strong>
        <span>{caption}</span>
      </div>
    </div>
  );
}

function Link({ op, params, testId }: { op: string; params: number; testId: string }) {
  return (
    <div className="layer-link">
      <span className="layer-op">{op}</span>
      <span className="layer-arrow" aria-hidden="true" />
      <span className="layer-params" data-testid={testId}>
        {formatInt(params)} params
      </span>
    </div>
  );
}

export function LayerDiagram() {
  const info = useModelInfo();
  const stages = stagesOf(info);
  const firstHidden = stages.length > 1 ? stages[0].name : null;

  return (
    <div className="layer-diagram" data-testid="layer-diagram">
      <Layer kind="input" shape={info.input} caption={info.input.length === 1 ? `input pixels (${MNIST_ROWS}×${MNIST_COLS})` : 'input image'} />
      {stages.map((stage, i) => {
        const last = i === stages.length - 1;
        const caption = last ? 'digits · softmax' : [stage.name, ...stage.captions].join(' · ');
        return (
          <div className="layer-stage" key={stage.name}>
            <Link op={stage.op} params={stage.params} testId={`params-${stage.name}`} />
            <Layer kind={last ? 'output' : 'hidden'} shape={stage.shape} caption={caption} name={stage.name} sizeTestId={stage.name === firstHidden ? 'hidden-size' : undefined} />
          </div>
        );
      })}
      <div className="layer-total">
        <span>total</span>
        <strong data-testid="params-total">{formatInt(info.paramCount)}</strong>
        <span>parameters</span>
      </div>
    </div>
  );
}

// The network as a learner would draw it: three layers, their sizes, and what each connection costs in parameters.
import { useUi } from '../hooks/useUi';
import { formatInt, linearParams } from '../lib/format';

function Layer({ kind, size, caption, sizeTestId }: { kind: string; size: number; caption: string; sizeTestId?: string }) {
  return (
    <div className="layer">
      <div className={`layer-box layer-${kind}`}>
        <strong data-testid={sizeTestId}>{size}</strong>
        <span>{caption}</span>
      </div>
    </div>
  );
}

function LinearLink({ params, testId }: { params: number; testId: string }) {
  return (
    <div className="layer-link">
      <span className="layer-op">Linear</span>
      <span className="layer-arrow" aria-hidden="true" />
      <span className="layer-params" data-testid={testId}>
        {formatInt(params)} params
      </span>
    </div>
  );
}

export function LayerDiagram() {
  const hidden = useUi((s) => s.config.hidden);
  const p1 = linearParams(784, hidden);
  const p2 = linearParams(hidden, 10);

  return (
    <div className="layer-diagram" data-testid="layer-diagram">
      <Layer kind="input" size={784} caption="input pixels (28×28)" />
      <LinearLink params={p1} testId="params-l1" />
      <Layer kind="hidden" size={hidden} caption="hidden units · ReLU" sizeTestId="hidden-size" />
      <LinearLink params={p2} testId="params-l2" />
      <Layer kind="output" size={10} caption="digits · softmax" />
      <div className="layer-total">
        <span>total</span>
        <strong data-testid="params-total">{formatInt(p1 + p2)}</strong>
        <span>parameters</span>
      </div>
    </div>
  );
}

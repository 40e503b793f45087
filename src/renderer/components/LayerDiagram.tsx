// The network as a learner would draw it: three layers, their sizes, and what each connection costs in parameters.
import { useUi } from '../hooks/useUi';
import { formatInt, linearParams } from '../lib/format';

export function LayerDiagram() {
  const hidden = useUi((s) => s.config.hidden);
  const p1 = linearParams(784, hidden);
  const p2 = linearParams(hidden, 10);

  return (
    <div className="layer-diagram" data-testid="layer-diagram">
      <div className="layer">
        <div className="layer-box layer-input">
          <strong>784</strong>
          <span>input pixels (28×28)</span>
        </div>
      </div>
      <div className="layer-link">
        <span className="layer-op">Linear</span>
        <span className="layer-arrow" aria-hidden="true" />
        <span className="layer-params" data-testid="params-l1">
          {formatInt(p1)} params
        </span>
      </div>
      <div className="layer">
        <div className="layer-box layer-hidden">
          <strong data-testid="hidden-size">{hidden}</strong>
          <span>hidden units · ReLU</span>
        </div>
      </div>
      <div className="layer-link">
        <span className="layer-op">Linear</span>
        <span className="layer-arrow" aria-hidden="true" />
        <span className="layer-params" data-testid="params-l2">
          {formatInt(p2)} params
        </span>
      </div>
      <div className="layer">
        <div className="layer-box layer-output">
          <strong>10</strong>
          <span>digits · softmax</span>
        </div>
      </div>
      <div className="layer-total">
        <span>total</span>
        <strong data-testid="params-total">{formatInt(p1 + p2)}</strong>
        <span>parameters</span>
      </div>
    </div>
  );
}

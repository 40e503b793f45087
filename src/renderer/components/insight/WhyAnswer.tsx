// Why this answer (issue 18, item 3): the saliency map over the digit — where a little more
// ink would raise (red) or lower (blue) the winning class's logit — and, for dense models, the
// hidden units that added the most to that logit (activation × outgoing weight).
import { Explain } from '../explain/Explain';
import { useUi } from '../../hooks/useUi';
import { useInsight } from './context';
import { paintSaliency } from './paint';
import { PaintedCanvas } from './PaintedCanvas';

/** Two decimals, without a "−0.00". */
function signed(v: number): string {
  const text = v.toFixed(2);
  return Number(text) === 0 ? '0.00' : text;
}

export function WhyAnswer() {
  const selected = useUi((s) => s.selected);
  const explanation = useInsight((s) => s.explanation);
  const explained = useInsight((s) => s.explained);
  if (!selected) return <p className="muted insight-empty">Pick a digit from the samples, or draw or drop one, to see why the network answers what it does.</p>;
  if (!explanation || !explained) return <p className="muted insight-empty">Working out the answer…</p>;
  const c = explanation.contributions;
  const maxAbs = c ? Math.max(1e-9, ...[...c.top, ...c.bottom].map((u) => Math.abs(u.contribution))) : 1;
  return (
    <div className="why" data-testid="why-answer" data-target={explanation.target}>
      <div className="why-map">
        <PaintedCanvas
          width={28}
          height={28}
          className="digit digit-large why-saliency"
          testId="saliency-map"
          title="Saliency: red where more ink raises the answer's score, blue where it lowers it"
          paint={(rgba) => paintSaliency(explained, explanation.saliency, rgba)}
          deps={[explanation, explained]}
        />
        <div className="why-caption">
          <strong>{explanation.target}</strong> because of the <span className="why-red">red</span> pixels; <span className="why-blue">blue</span> ones argue against it.{' '}
          <Explain title="Saliency map" testId="explain-saliency">
            The gradient of the winning digit’s score (its logit, before softmax) with respect to each input pixel, computed by backpropagation through the network as it is now. It says how the score
            would change if that pixel got a little more ink: it shows what the network looks at, not why it is right. A dense network’s map is tied to the pixel positions; a convolutional one’s
            follows the strokes.
          </Explain>
        </div>
      </div>
      {c && (
        <div className="why-units" data-testid="contributions">
          <div className="why-units-head">
            Hidden units ({c.hiddenLayer}) adding to {explanation.target}’s score: activation × weight to {c.layer}
          </div>
          <ol className="why-unit-list">
            {c.top.map((u) => (
              <li key={u.unit} className="why-unit" data-testid="contribution" data-unit={u.unit}>
                <span className="why-unit-name">unit {u.unit}</span>
                <span className="why-unit-track">
                  <span className="why-unit-bar" style={{ width: `${(100 * u.contribution) / maxAbs}%` }} />
                </span>
                <span className="why-unit-value" title={`activation ${u.activation.toFixed(3)} × weight ${u.weight.toFixed(3)}`}>
                  +{u.contribution.toFixed(2)}
                </span>
              </li>
            ))}
            {c.bottom.map((u) => (
              <li key={u.unit} className="why-unit why-unit-negative" data-unit={u.unit}>
                <span className="why-unit-name">unit {u.unit}</span>
                <span className="why-unit-track">
                  <span className="why-unit-bar" style={{ width: `${(100 * -u.contribution) / maxAbs}%` }} />
                </span>
                <span className="why-unit-value" title={`activation ${u.activation.toFixed(3)} × weight ${u.weight.toFixed(3)}`}>
                  {u.contribution.toFixed(2)}
                </span>
              </li>
            ))}
          </ol>
          <div className="muted why-units-sum">
            All {c.units} units and the bias ({signed(c.bias)}) add up to the score {signed(c.logit)}.
          </div>
        </div>
      )}
    </div>
  );
}

// The selected node up close: what it is (`act = relu(l1)`), its values (a histogram or the
// picture), and once backward has reached it its gradient; for an op whose backward has run, the
// chain rule for one element with this step's numbers; for a parameter, the optimizer's update of
// one weight, term by term.
import type { GraphNode, StepGraph } from '../../../shared/stepGraph';
import { formatValue as f } from '../../../shared/stepGraph';
import type { Position } from '../../state/howItWorksStore';
import { Histogram } from './Histogram';
import { shapeLabel } from './StepGraphView';
import { imageShape, ValueImage } from './ValueImage';

function Stats({ label, summary, kind }: { label: string; summary: GraphNode['forward']; kind: 'value' | 'grad' }) {
  return (
    <div className="how-stats">
      <span className="how-stats-label">{label}</span>
      <Histogram summary={summary} kind={kind} width={180} height={34} />
      <span className="how-stats-numbers">
        min {f(summary.min)} · mean {f(summary.mean)} · max {f(summary.max)} · ‖·‖ {f(summary.norm)}
      </span>
    </div>
  );
}

function title(node: GraphNode, graph: StepGraph): string {
  if (node.kind === 'input') return `${node.symbol}: test digit #${graph.index} (a ${graph.label}), pixels / 255`;
  if (node.kind === 'param') return `${node.symbol}: a parameter (a leaf the optimizer updates)`;
  const args = node.inputs.map((i) => graph.nodes[i].symbol).join(', ');
  return `${node.symbol} = ${node.name}(${args})`;
}

export function NodeDetail({ node, graph, position }: { node: GraphNode; graph: StepGraph; position: Position }) {
  const computed = node.kind !== 'op' || position.forwardDone.has(node.id);
  const gradKnown = position.gradKnown.has(node.id);
  const backwardRan = node.kind === 'op' && position.backwardDone.has(node.id);
  return (
    <div className="how-detail" data-testid="node-detail" data-symbol={node.symbol}>
      <h3 className="how-detail-title">{title(node, graph)}</h3>
      <p className="how-muted">
        shape {shapeLabel(node.shape)}
        {node.layer ? ` · layer ${node.layer}` : ''}
      </p>
      {computed ? (
        <>
          <Stats label="values" summary={node.forward} kind="value" />
          {node.values && imageShape(node.shape) && <ValueImage values={node.values} shape={node.shape} grey={node.kind === 'input'} className="how-detail-image" />}
        </>
      ) : (
        <p className="how-muted">Not computed yet: step forward to it.</p>
      )}
      {gradKnown && node.gradSummary && <Stats label="gradient ∂L/∂·" summary={node.gradSummary} kind="grad" />}
      {node.kind === 'input' && <p className="how-muted">Nothing learns the input, so backward computes no gradient for it.</p>}
      {node.kind === 'op' && (
        <div className="how-chain" data-testid="chain-rules">
          <h4>Chain rule, one element</h4>
          {backwardRan ? (
            node.chain.length > 0 ? (
              node.chain.map((rule, i) => (
                <p key={i} className="how-chain-line" data-testid="chain-rule">
                  <code>
                    {rule.lhs} = {rule.formula} = {rule.numbers} = {f(rule.value)}
                  </code>
                </p>
              ))
            ) : (
              <p className="how-muted">Its input needs no gradient (it is the data), so its backward passes nothing on.</p>
            )
          ) : (
            <p className="how-muted">Step backward to this op to see how it passes the gradient on.</p>
          )}
        </div>
      )}
      {node.update && (
        <div className="how-update" data-testid="weight-update">
          <h4>
            The {node.update.optimizer} update of {node.symbol}[{node.update.at.join(', ')}]
          </h4>
          {gradKnown ? (
            <>
              <p className="how-muted">If this digit were the whole batch, the next step would do this to the weight with the largest gradient:</p>
              <table className="how-terms">
                <tbody>
                  {node.update.terms.map((term, i) => (
                    <tr key={i}>
                      <th scope="row">{term.name}</th>
                      <td>
                        <code>{term.formula}</code>
                      </td>
                      <td className="how-term-value">{f(term.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p className="how-muted">Its gradient comes once backward reaches the op that uses it.</p>
          )}
        </div>
      )}
    </div>
  );
}

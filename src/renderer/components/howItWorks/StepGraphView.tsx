// The graph of one step, laid out in the model's order: the input, then each layer with the
// parameters it owns and the ops its forward recorded, then the loss. Each op shows its output's
// shape and, once computed, a histogram of its values (or the picture, for image-shaped values)
// and, once backward has reached it, its gradient's norm and histogram. The node just computed
// is highlighted; clicking any node selects it.
import type { GraphNode, StepGraph } from '../../../shared/stepGraph';
import { formatValue } from '../../../shared/stepGraph';
import type { Position } from '../../state/howItWorksStore';
import { Histogram } from './Histogram';
import { imageShape, ValueImage } from './ValueImage';

/** `[1, 128]`, or `scalar` for the loss. */
export function shapeLabel(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : `[${shape.join(', ')}]`;
}

interface Group {
  key: string;
  title: string;
  kind: string;
  params: GraphNode[];
  ops: GraphNode[];
}

/** The layout's groups: input, every layer of the model in order (those that recorded nothing too), the loss. */
export function groupsOf(graph: StepGraph): Group[] {
  const groups: Group[] = [{ key: 'input', title: 'input', kind: 'a test digit', params: [], ops: [] }];
  const byLayer = new Map<string, Group>();
  for (const layer of graph.layers) {
    const group: Group = { key: `layer-${layer.name}`, title: layer.name, kind: layer.type, params: [], ops: [] };
    byLayer.set(layer.name, group);
    groups.push(group);
  }
  const loss: Group = { key: 'loss', title: 'loss', kind: 'cross-entropy', params: [], ops: [] };
  groups.push(loss);
  for (const node of graph.nodes) {
    if (node.kind === 'input') groups[0].params.push(node);
    else {
      const group = node.layer === null ? loss : (byLayer.get(node.layer) ?? loss);
      (node.kind === 'param' ? group.params : group.ops).push(node);
    }
  }
  return groups;
}

function nodeState(node: GraphNode, position: Position): string {
  if (position.current?.id === node.id) return 'current';
  if (node.kind === 'op' && position.backwardDone.has(node.id)) return 'backward';
  if (position.gradKnown.has(node.id)) return 'grad';
  if (node.kind !== 'op' || position.forwardDone.has(node.id)) return 'forward';
  return 'pending';
}

function GradLine({ node }: { node: GraphNode }) {
  if (!node.gradSummary) return null;
  return (
    <span className="how-grad" title="The gradient of the loss with respect to this value">
      ‖∇‖ {formatValue(node.gradSummary.norm)}
      <Histogram summary={node.gradSummary} kind="grad" width={64} height={14} />
    </span>
  );
}

function NodeButton({ node, position, selected, onSelect }: { node: GraphNode; position: Position; selected: boolean; onSelect(id: number): void }) {
  const state = nodeState(node, position);
  const computed = state !== 'pending';
  const gradShown = position.gradKnown.has(node.id);
  const isLeaf = node.kind !== 'op';
  const picture = computed && node.values && imageShape(node.shape);
  return (
    <button
      type="button"
      className={`how-node how-node-${node.kind} how-${state}${selected ? ' how-selected' : ''}`}
      data-testid="graph-node"
      data-symbol={node.symbol}
      data-name={node.name}
      data-state={state}
      aria-pressed={selected}
      onClick={() => onSelect(node.id)}
    >
      <span className="how-node-name">{isLeaf ? node.symbol : node.name}</span>
      <span className="how-node-shape">{shapeLabel(node.shape)}</span>
      {!isLeaf && <span className="how-node-symbol">→ {node.symbol}</span>}
      {computed &&
        !isLeaf &&
        (picture ? <ValueImage values={node.values!} shape={node.shape} maxChannels={4} className="how-node-image" /> : <Histogram summary={node.forward} kind="value" width={88} height={16} />)}
      {node.kind === 'input' && node.values && <ValueImage values={node.values} shape={node.shape} grey className="how-node-image" />}
      {gradShown && <GradLine node={node} />}
    </button>
  );
}

export function StepGraphView({ graph, position, selected, onSelect }: { graph: StepGraph; position: Position; selected: number | null; onSelect(id: number): void }) {
  return (
    <ol className="how-graph" data-testid="step-graph" aria-label="The graph of one training step">
      {groupsOf(graph).map((group) => (
        <li key={group.key} className="how-group" data-testid="graph-group" data-group={group.title}>
          <div className="how-group-head">
            <strong>{group.title}</strong> <span>{group.kind}</span>
          </div>
          {group.params.length + group.ops.length === 0 && <p className="how-empty">records nothing here (off when one digit is looked at)</p>}
          <div className="how-leaves">
            {group.params.map((node) => (
              <NodeButton key={node.id} node={node} position={position} selected={selected === node.id} onSelect={onSelect} />
            ))}
          </div>
          {group.ops.map((node) => (
            <NodeButton key={node.id} node={node} position={position} selected={selected === node.id} onSelect={onSelect} />
          ))}
        </li>
      ))}
    </ol>
  );
}

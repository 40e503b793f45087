// The code behind the selected node: the engine's forward and the backward it records, as they
// are in src/engine (read at build time, lib/howItWorks/engineSources.ts), beside the PyTorch
// line that does the same. For a parameter, the optimizer's step(); for the input, how PyTorch
// would load it.
import type { GraphNode, StepGraph } from '../../../shared/stepGraph';
import { codeForOp, OPTIMIZER_CODE, optimizerStepSource, shownCode } from '../../lib/howItWorks/opCode';

function Source({ label, text, tone }: { label: string; text: string; tone: 'forward' | 'backward' | 'helper' }) {
  return (
    <figure className={`how-code how-code-${tone}`}>
      <figcaption>{label}</figcaption>
      <pre>
        <code>{text}</code>
      </pre>
    </figure>
  );
}

function PyTorch({ line }: { line: string }) {
  return (
    <div className="how-pytorch" data-testid="pytorch-line">
      <span className="how-pytorch-label">PyTorch</span>
      <code>{line}</code>
    </div>
  );
}

export function CodePanel({ node, graph }: { node: GraphNode; graph: StepGraph }) {
  const { optimizer, labelSmoothing } = graph;
  if (node.kind === 'input') {
    return (
      <div className="how-code-panel" data-testid="code-panel">
        <PyTorch line="x = images.float() / 255    # [N, 1, 28, 28]; nothing learns it: no requires_grad" />
      </div>
    );
  }
  if (node.kind === 'param') {
    const source = optimizerStepSource(optimizer);
    return (
      <div className="how-code-panel" data-testid="code-panel">
        <PyTorch line={OPTIMIZER_CODE[optimizer].pytorch} />
        {source && <Source label={`src/engine/${OPTIMIZER_CODE[optimizer].file} — step()`} text={source} tone="forward" />}
      </div>
    );
  }
  const layer = graph.layers.find((l) => l.name === node.layer) ?? null;
  const code = codeForOp(node.name, layer, labelSmoothing);
  const shown = code ? shownCode(code) : null;
  if (!code || !shown) return <p className="how-muted">No source found for {node.name}.</p>;
  return (
    <div className="how-code-panel" data-testid="code-panel" data-op={node.name}>
      <PyTorch line={code.pytorch} />
      <Source label={`src/engine/${shown.file} — forward`} text={shown.forward} tone="forward" />
      <Source label="backward (the closure recorded on the tape, run by backward())" text={shown.backward} tone="backward" />
      {shown.helpers.map((text, i) => (
        <Source key={i} label={`also in src/engine/${shown.file}`} text={text} tone="helper" />
      ))}
    </div>
  );
}

// How it works (issue 27): one training step of the live model, as its own engine records it, on
// one test digit. The graph is the tape the worker walked (StepGraphView); the learner steps
// through it forward op by op, then backward in reverse, and reads for the selected node its
// numbers, the chain rule for one element, a parameter's update, and the code that computed it
// (NodeDetail, CodePanel). Nothing here runs engine code: the worker answers one stepGraph
// request per digit, and everything after that is drawn from the answer.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { formatValue } from '../../../shared/stepGraph';
import { getApi } from '../../api';
import { useUi } from '../../hooks/useUi';
import { createHowItWorksActions, howItWorksStore, opsOf, positionOf, type HowItWorksActions } from '../../state/howItWorksStore';
import { CodePanel } from './CodePanel';
import { NodeDetail } from './NodeDetail';
import { StepGraphView } from './StepGraphView';
import './howItWorks.css';

let actions: HowItWorksActions | null = null;
export function howItWorksActions(): HowItWorksActions {
  actions ??= createHowItWorksActions(getApi());
  return actions;
}

function phaseText(phase: string, cursor: number, total: number, current: string | null): string {
  if (phase === 'start') return `Before the step: only the leaves (the digit and the parameters) have values. ${total} ops to compute.`;
  if (phase === 'forward') return `Forward ${cursor} of ${total}: ${current}`;
  return `Backward ${cursor - total} of ${total}: ${current}`;
}

export function HowItWorksView() {
  const a = howItWorksActions();
  const { graph, loading, error, cursor, selected, recordings } = useStore(howItWorksStore);
  const step = useUi((s) => s.step);
  const connected = useUi((s) => s.connection === 'ready');
  useEffect(() => {
    if (connected && !howItWorksStore.getState().graph && !howItWorksStore.getState().loading) void a.load();
  }, [connected, a]);
  const position = graph ? positionOf(graph, cursor) : null;
  const total = graph ? opsOf(graph).length : 0;
  const node = graph && selected !== null ? graph.nodes[selected] : null;
  const stale = graph !== null && graph.step !== step;
  return (
    <section className="panel how" data-testid="how-view" data-recordings={recordings} aria-label="How it works">
      <header className="panel-head">
        <div className="panel-title">
          <h2>One training step, as the engine computes it</h2>
        </div>
        <div className="how-digit">
          {graph && (
            <span data-testid="how-digit" data-index={graph.index}>
              test digit #{graph.index}: a <strong>{graph.label}</strong>, the model says {graph.predicted} · loss {formatValue(graph.loss)}
            </span>
          )}
          <button type="button" className="how-btn" data-testid="how-another" onClick={() => void a.anotherDigit()} disabled={loading}>
            Another digit
          </button>
          <button type="button" className="how-btn" data-testid="how-refresh" onClick={() => void a.load()} disabled={loading}>
            Record again
          </button>
        </div>
      </header>
      <p className="panel-lead">
        The engine records every op of the forward pass on a tape; backward() walks it in reverse, each op turning the gradient of its output into gradients of its inputs. Step through it.
        {stale && (
          <span className="how-stale">
            {' '}
            Recorded at step {graph.step}; the model is at step {step} now.
          </span>
        )}
      </p>
      {error && (
        <p className="how-error" role="alert">
          {error}
        </p>
      )}
      {graph && position && (
        <>
          <div className="how-stepper" role="group" aria-label="Step through">
            <button type="button" className="how-btn" data-testid="how-start" onClick={() => a.goTo(0)} disabled={cursor === 0} title="Back to before the step">
              Start
            </button>
            <button type="button" className="how-btn" data-testid="how-back" onClick={() => a.step(-1)} disabled={cursor === 0}>
              ◀ Back
            </button>
            <button type="button" className="how-btn how-btn-primary" data-testid="how-next" onClick={() => a.step(1)} disabled={cursor === 2 * total}>
              {cursor < total ? 'Forward ▶' : 'Backward ▶'}
            </button>
            <button
              type="button"
              className="how-btn"
              data-testid="how-end"
              onClick={() => a.goTo(cursor < total ? total : 2 * total)}
              disabled={cursor === 2 * total}
              title={cursor < total ? 'To the loss' : 'To the end of backward'}
            >
              End
            </button>
            <span className="how-phase" data-testid="how-phase" data-phase={position.phase} data-cursor={cursor} data-total={total}>
              {phaseText(position.phase, cursor, total, position.current ? `${position.current.name} → ${position.current.symbol}` : null)}
            </span>
          </div>
          <div className="how-body">
            <StepGraphView graph={graph} position={position} selected={selected} onSelect={a.select} />
            <aside className="how-side">
              {node ? (
                <>
                  <NodeDetail node={node} graph={graph} position={position} />
                  <CodePanel node={node} graph={graph} />
                </>
              ) : (
                <p className="how-muted">Press Forward, or click a node, to see its numbers and its code.</p>
              )}
            </aside>
          </div>
        </>
      )}
      {!graph && loading && <p className="how-muted">Recording a step…</p>}
    </section>
  );
}

// The selected digit passed through the network: the input, and the output probabilities as bars.
// An input unlike a handwritten digit, or one for which no unit fires, is called what it is.
import { useEffect, useEffectEvent, useMemo } from 'react';
import { inputDoubt } from '../../shared/insight/outOfDistribution';
import { useTileView } from '../hooks/useModel';
import { useActions, useUi } from '../hooks/useUi';
import { formatPercent } from '../lib/format';
import { findTensor } from '../lib/tensors';
import { MNIST_CLASSES } from '../../shared/mnist';
import { DigitConcern } from './ClassifyResults';
import { DigitCanvas } from './DigitCanvas';
import { Explain } from './explain/Explain';
import { EXPLANATIONS } from './explain/explanations';

export function Prediction() {
  const actions = useActions();
  const selected = useUi((s) => s.selected);
  const classification = useUi((s) => s.classification);
  const view = useTileView();
  // Re-ask when the weights move on, so the bars follow the learning; weights arrive a few times a second.
  const weightsStep = useUi((s) => s.weights?.step ?? -1);
  const reclassify = useEffectEvent(() => {
    if (selected) void actions.reclassify();
  });
  useEffect(() => reclassify(), [weightsStep]);
  const check = useMemo(() => (selected ? inputDoubt(selected.pixels, classification) : null), [selected, classification]);

  if (!selected) {
    return (
      <div className="prediction prediction-empty" data-testid="prediction">
        Pick a digit from the samples to see the network think.
      </div>
    );
  }

  const probabilities = classification?.probabilities ?? [];
  const firing = view ? findTensor(classification?.activations, view.firing, view.units) : null;
  let active = 0;
  if (firing) for (const a of firing) if (a > 0) active++;

  return (
    <div className="prediction" data-testid="prediction" data-predicted={classification?.predicted ?? ''}>
      <div className="prediction-input">
        <DigitCanvas pixels={selected.pixels} scale={1} className="digit digit-large" />
        <span className="muted">{selected.source}</span>
        {selected.label !== null && <span className="muted">true label {selected.label}</span>}
        {firing && view && (
          <span className="muted active-units">
            <span data-testid="active-units" data-active={active}>
              {active} of {view.units} {view.next ? 'hidden units' : 'units'} fire
            </span>{' '}
            <Explain title="Firing units" testId="explain-firing">
              {EXPLANATIONS.firing.body}
            </Explain>
          </span>
        )}
      </div>
      <div className="prob-bars" data-testid="prob-bars">
        {Array.from({ length: MNIST_CLASSES }, (_, d) => {
          const p = probabilities[d] ?? 0;
          const isGuess = classification?.predicted === d;
          const isTruth = selected.label === d;
          return (
            <div className={`prob ${isGuess ? 'prob-guess' : ''} ${isTruth ? 'prob-truth' : ''}`} key={d}>
              <span className="prob-digit">{d}</span>
              <span className="prob-track">
                <span className="prob-bar" style={{ width: `${(p * 100).toFixed(1)}%` }} />
              </span>
              <span className="prob-value">{classification ? formatPercent(p, 0) : ''}</span>
            </div>
          );
        })}
      </div>
      {(check || (firing && active === 0)) && (
        <div className="prediction-notes">
          {check && <DigitConcern check={check} />}
          {firing && active === 0 && (
            <p className="digit-concern" role="note" data-testid="no-unit-fires">
              No unit fires for this input, so the answer comes from the next layer’s biases alone: the same for every input like it.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

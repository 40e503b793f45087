// What the draft network costs, live as it is edited: the memory of a training step at the
// draft's batch size and its operations, with the time that takes at this machine's measured
// speed (the trainer's samples per second × its model's operations per sample). So a learner
// sees a model's cost before pressing Train, and why a model over the budget is refused.
import { formatBytes, formatFlops, memoryProblem, STEP_MEMORY_BUDGET, trainingBytes, trainingFlops } from '../../shared/model/cost';
import type { ModelSpec } from '../../shared/model/spec';
import { useUi } from '../hooks/useUi';
import { specCost } from '../state/specCost';

export function formatSeconds(seconds: number): string {
  if (seconds < 0.001) return `${Math.max(1, Math.round(seconds * 1e6))} µs`;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function ModelCost({ spec, otherProblem }: { spec: ModelSpec; otherProblem: boolean }) {
  const batch = useUi((s) => s.draft.batchSize);
  const rate = useUi((s) => s.flopsPerSecond);
  const cost = specCost(spec);
  if (cost === null) return null;
  const bytes = trainingBytes(cost, batch);
  const flops = trainingFlops(cost, batch);
  const over = bytes > STEP_MEMORY_BUDGET;
  // One problem at a time: the spec's own (shown above) before the batch size's.
  const problem = over && !otherProblem ? memoryProblem(cost, batch) : null;
  return (
    <div className="editor-cost" data-testid="editor-cost">
      <span title={`Activations, what the layers keep for backward, gradients and scratch of one training step at batch ${batch}; the budget is ${formatBytes(STEP_MEMORY_BUDGET)}`}>
        Per step at batch {batch}:{' '}
        <span className={over ? 'editor-cost-over' : undefined} data-testid="editor-cost-memory">
          {formatBytes(bytes)}
        </span>{' '}
        of memory ({formatFlops(cost.flopsPerSample)} per image)
      </span>
      <span data-testid="editor-cost-time" title={rate === null ? undefined : `Forward and backward over ${batch} images: ${formatFlops(flops)}, at this machine's measured ${formatFlops(rate)}/s`}>
        {rate === null
          ? `${formatFlops(flops)} per step; time per step shows once this machine's speed is measured (train any model a few seconds)`
          : `≈ ${formatSeconds(flops / rate)} per step at this machine's ${formatFlops(rate)}/s`}
      </span>
      {problem && (
        <span className="editor-problem" data-testid="editor-cost-problem">
          {problem}
        </span>
      )}
    </div>
  );
}

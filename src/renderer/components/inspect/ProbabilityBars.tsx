// Ten small bars, one per digit: the model's probabilities for one image. The guess is coloured
// (red when wrong), the true digit marked below its bar.
import { MNIST_CLASSES } from '../../../shared/mnist';

export function ProbabilityBars({ probabilities, label, predicted }: { probabilities: readonly number[]; label: number; predicted: number }) {
  const wrong = label !== predicted;
  return (
    <div className="pbars" aria-label={`probabilities: ${probabilities.map((p, d) => `${d} ${(p * 100).toFixed(0)}%`).join(', ')}`}>
      {Array.from({ length: MNIST_CLASSES }, (_, d) => (
        <span key={d} className={`pbar ${d === predicted ? (wrong ? 'pbar-wrong' : 'pbar-guess') : ''} ${d === label ? 'pbar-true' : ''}`}>
          <span className="pbar-fill" style={{ height: `${Math.max(probabilities[d] ?? 0, 0) * 100}%` }} />
          <span className="pbar-digit">{d}</span>
        </span>
      ))}
    </div>
  );
}

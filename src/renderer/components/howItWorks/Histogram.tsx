// A small histogram of a summary's bins (shared/stepGraph.ts): forward values or gradients.
import type { ValueSummary } from '../../../shared/stepGraph';

export function Histogram({ summary, kind, width = 96, height = 22 }: { summary: ValueSummary; kind: 'value' | 'grad'; width?: number; height?: number }) {
  const bins = summary.histogram;
  const top = Math.max(1, ...bins);
  const w = width / bins.length;
  return (
    <svg className={`how-hist how-hist-${kind}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      {bins.map((count, i) => {
        // Square-root heights: one tall bin (all the zeros of a ReLU) must not flatten the rest.
        const h = count === 0 ? 0 : Math.max(1, Math.sqrt(count / top) * height);
        return <rect key={i} x={i * w} y={height - h} width={Math.max(1, w - 0.5)} height={h} />;
      })}
    </svg>
  );
}

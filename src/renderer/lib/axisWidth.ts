// How wide a chart's y axis must be for its tick labels (issue 24: "1,400.0" showed as "400.0",
// "0.001" on the log axis as ".001"; a fixed width cut off the labels' first characters). The
// labels are a few characters in the charts' 11 px font: measured from per-character widths
// rather than in the DOM (recharts would measure on every redraw).

/** Widths of the characters tick labels use, in em of the chart's sans-serif font (generous: a label cut off is worse than a few pixels of room). */
const EM: Readonly<Record<string, number>> = { '.': 0.34, ',': 0.34, '%': 0.92, '-': 0.42, '+': 0.62, ' ': 0.3, e: 0.62 };
const DIGIT_EM = 0.64;
const OTHER_EM = 0.7;

/** The width (px) `label` takes at `fontSize`. */
export function labelWidth(label: string, fontSize: number): number {
  let em = 0;
  for (const ch of label) em += ch >= '0' && ch <= '9' ? DIGIT_EM : (EM[ch] ?? OTHER_EM);
  return em * fontSize;
}

/**
 * The YAxis `width` for these labels: the widest label, the tick mark and its gap (recharts draws
 * the label `tickSize` + 2 px left of the axis line), the chart's left margin (negative: taken
 * back), and never narrower than `min`.
 */
export function yAxisWidth(
  labels: readonly string[],
  { fontSize = 11, tickSize = 6, marginLeft = 0, min = 0 }: { fontSize?: number; tickSize?: number; marginLeft?: number; min?: number } = {},
): number {
  const widest = Math.max(0, ...labels.map((l) => labelWidth(l, fontSize)));
  return Math.max(min, Math.ceil(widest + tickSize + 2 + 2 - marginLeft));
}

// A set of things that are not digits, drawn by a program the way a learner would draw them on the pad
// (black pen on white, a 280×280 canvas), then prepared exactly as a drawing is (shared/images/preprocess.ts):
// lines, stars, scribbles, dots, circles with a cross, squares, letters. The out-of-distribution check
// (shared/insight/outOfDistribution.ts) is measured on this set against the MNIST test digits (bench/oodBench.ts),
// and tests/insight/outOfDistribution.test.ts draws a few of them.
import { Rng } from '../src/engine/data/rng';
import { preprocessDigit } from '../src/shared/images/preprocess';

export const CANVAS = 280;

export type NonDigitKind = 'line' | 'star' | 'scribble' | 'dot' | 'crossed-circle' | 'square' | 'letter';

export interface NonDigit {
  kind: NonDigitKind;
  /** The 28×28 input the network receives, ink = 1. */
  pixels: Float32Array;
}

type Point = [number, number];

/** A white canvas with black strokes: each polyline drawn with a round pen of radius `pen`, anti-aliased over a pixel. */
export function drawStrokes(strokes: Point[][], pen: number): Uint8ClampedArray {
  const ink = new Float32Array(CANVAS * CANVAS);
  for (const stroke of strokes) {
    const segments: [Point, Point][] = stroke.length === 1 ? [[stroke[0], stroke[0]]] : stroke.slice(1).map((p, i) => [stroke[i], p]);
    for (const [a, b] of segments) {
      const x0 = Math.max(0, Math.floor(Math.min(a[0], b[0]) - pen - 1));
      const x1 = Math.min(CANVAS - 1, Math.ceil(Math.max(a[0], b[0]) + pen + 1));
      const y0 = Math.max(0, Math.floor(Math.min(a[1], b[1]) - pen - 1));
      const y1 = Math.min(CANVAS - 1, Math.ceil(Math.max(a[1], b[1]) + pen + 1));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const d = distanceToSegment([x + 0.5, y + 0.5], a, b);
          const v = Math.min(1, Math.max(0, pen + 0.5 - d));
          if (v > ink[y * CANVAS + x]) ink[y * CANVAS + x] = v;
        }
      }
    }
  }
  const grey = new Uint8ClampedArray(CANVAS * CANVAS);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.round(255 * (1 - ink[i]));
  return grey;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

export function prepare(grey: Uint8ClampedArray | Uint8Array, width = CANVAS, height = CANVAS): Float32Array {
  return preprocessDigit({ width, height, data: grey });
}

const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();
const centre = (rng: Rng): Point => [between(rng, 110, 170), between(rng, 110, 170)];
const polar = (c: Point, r: number, angle: number): Point => [c[0] + r * Math.cos(angle), c[1] + r * Math.sin(angle)];

function circle(c: Point, r: number, points = 48): Point[] {
  return Array.from({ length: points + 1 }, (_, i) => polar(c, r, (2 * Math.PI * i) / points));
}

/** One drawing of `kind`: strokes and pen radius. */
export function drawKind(kind: Exclude<NonDigitKind, 'letter'>, rng: Rng): { strokes: Point[][]; pen: number } {
  const c = centre(rng);
  const pen = between(rng, 5, 12);
  const turn = between(rng, 0, 2 * Math.PI);
  switch (kind) {
    case 'line': {
      // Any direction but near vertical, which is how people write a 1.
      const angle = between(rng, -Math.PI / 3, Math.PI / 3);
      const r = between(rng, 50, 120);
      return { strokes: [[polar(c, -r, angle), polar(c, r, angle)]], pen };
    }
    case 'star': {
      const r = between(rng, 60, 110);
      const star = Array.from({ length: 6 }, (_, i) => polar(c, r, turn + (4 * Math.PI * i) / 5));
      return { strokes: [star], pen };
    }
    case 'scribble': {
      let p = c;
      const walk: Point[] = [p];
      for (let i = 0; i < 12 + Math.floor(rng.next() * 12); i++) {
        p = [Math.min(250, Math.max(30, p[0] + between(rng, -70, 70))), Math.min(250, Math.max(30, p[1] + between(rng, -70, 70)))];
        walk.push(p);
      }
      return { strokes: [walk], pen };
    }
    case 'dot':
      return { strokes: [[c]], pen: between(rng, 4, 20) };
    case 'crossed-circle': {
      const r = between(rng, 50, 100);
      return {
        strokes: [circle(c, r), [polar(c, r, turn), polar(c, r, turn + Math.PI)], [polar(c, r, turn + Math.PI / 2), polar(c, r, turn + (3 * Math.PI) / 2)]],
        pen,
      };
    }
    case 'square': {
      const r = between(rng, 50, 100);
      const corners = [0, 1, 2, 3, 4].map((i) => polar(c, r, turn + Math.PI / 4 + (Math.PI / 2) * i));
      return { strokes: [corners], pen };
    }
  }
}

/** `count` drawings of each kind but letters (letters need a font renderer: see bench/oodBench.ts). */
export function drawnNonDigits(count: number, seed: number): NonDigit[] {
  const rng = new Rng(seed);
  const kinds = ['line', 'star', 'scribble', 'dot', 'crossed-circle', 'square'] as const;
  return kinds.flatMap((kind) =>
    Array.from({ length: count }, () => {
      const { strokes, pen } = drawKind(kind, rng);
      return { kind, pixels: prepare(drawStrokes(strokes, pen)) };
    }),
  );
}

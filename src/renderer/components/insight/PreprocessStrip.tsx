// Preprocessing made visible (issue 18, item 6): for a dropped or drawn digit, each step as a
// small picture, from the image as it came to the 28×28 input the network receives.
import type { PixelImage } from '../../../shared/images/preprocess';
import { useUi } from '../../hooks/useUi';
import { preprocessingOf } from '../../state/insightStore';
import { PaintedCanvas } from './PaintedCanvas';

/** Pictures larger than this are shown shrunk (nearest pixel), so a 1000 px photo costs no more than a thumbnail. */
const MAX_SIDE = 96;

function shrink(width: number, height: number): { w: number; h: number; step: number } {
  const step = Math.max(1, Math.ceil(Math.max(width, height) / MAX_SIDE));
  return { w: Math.ceil(width / step), h: Math.ceil(height / step), step };
}

function Picture({
  width,
  height,
  pixel,
  label,
  note,
  testId,
}: {
  width: number;
  height: number;
  pixel: (x: number, y: number, rgba: Uint8ClampedArray, i: number) => void;
  label: string;
  note?: string;
  testId: string;
}) {
  const { w, h, step } = shrink(width, height);
  return (
    <figure className="prep-step" data-testid={testId}>
      <PaintedCanvas
        width={w}
        height={h}
        className="prep-canvas"
        paint={(rgba) => {
          for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) pixel(Math.min(width - 1, x * step), Math.min(height - 1, y * step), rgba, (y * w + x) * 4);
        }}
        deps={[width, height, pixel]}
      />
      <figcaption>
        {label}
        {note && <span className="muted"> {note}</span>}
        <span className="muted prep-size">
          {width}×{height}
        </span>
      </figcaption>
    </figure>
  );
}

function original(image: PixelImage) {
  const channels = image.data.length === image.width * image.height ? 1 : 4;
  return (x: number, y: number, rgba: Uint8ClampedArray, i: number) => {
    const p = (y * image.width + x) * channels;
    if (channels === 1) {
      rgba[i] = rgba[i + 1] = rgba[i + 2] = image.data[p];
    } else {
      const a = image.data[p + 3] / 255;
      // Over white, as the preprocessing reads transparency.
      rgba[i] = image.data[p] * a + 255 * (1 - a);
      rgba[i + 1] = image.data[p + 1] * a + 255 * (1 - a);
      rgba[i + 2] = image.data[p + 2] * a + 255 * (1 - a);
    }
    rgba[i + 3] = 255;
  };
}

function grey(data: Float32Array, width: number) {
  return (x: number, y: number, rgba: Uint8ClampedArray, i: number) => {
    const v = Math.round(Math.min(1, Math.max(0, data[y * width + x])) * 255);
    rgba[i] = rgba[i + 1] = rgba[i + 2] = v;
    rgba[i + 3] = 255;
  };
}

export function PreprocessStrip() {
  const selected = useUi((s) => s.selected);
  const found = preprocessingOf(selected?.pixels);
  if (!selected || !found) return null;
  const { image, steps } = found;
  return (
    <div className="prep" data-testid="preprocess-steps">
      <div className="prep-head">
        How {selected.source} became the network’s input <span className="muted">(as MNIST’s digits were made)</span>
      </div>
      <div className="prep-row">
        <Picture testId="prep-original" label="original" width={image.width} height={image.height} pixel={original(image)} />
        <Arrow />
        <Picture testId="prep-grey" label="greyscale" width={steps.grey.width} height={steps.grey.height} pixel={grey(steps.grey.data, steps.grey.width)} />
        <Arrow />
        <Picture
          testId="prep-inverted"
          label={steps.inverted ? 'inverted' : 'not inverted'}
          note={steps.inverted ? '(light paper: ink made white)' : '(already light on dark)'}
          width={steps.ink.width}
          height={steps.ink.height}
          pixel={grey(steps.ink.data, steps.ink.width)}
        />
        <Arrow />
        <Picture testId="prep-cropped" label="cropped to the ink" width={steps.cropped.width} height={steps.cropped.height} pixel={grey(steps.cropped.data, steps.cropped.width)} />
        <Arrow />
        <Picture testId="prep-scaled" label="scaled to 20 px" width={steps.scaled.width} height={steps.scaled.height} pixel={grey(steps.scaled.data, steps.scaled.width)} />
        <Arrow />
        <Picture testId="prep-centred" label="centred by mass in 28×28" width={28} height={28} pixel={grey(steps.pixels, 28)} />
      </div>
    </div>
  );
}

function Arrow() {
  return (
    <span className="prep-arrow" aria-hidden="true">
      →
    </span>
  );
}

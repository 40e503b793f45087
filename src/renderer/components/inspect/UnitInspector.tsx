// One hidden unit or conv filter up close, over the whole test set: its weights (a 28×28 tile
// when it reads the pixels, its k×k kernels for a filter), the nine test images that drive it
// most and the nine that drive it least, its votes for each digit (with their scale), and how
// its activation spreads over the test set (a unit whose activation never changes is dead).
// Computed by the training worker at the live weights (shared/inspect.ts), asked again with
// each evaluation shown.
import { useEffect, useEffectEvent, useMemo, useRef } from 'react';
import { unitLayers, type UnitHistogram, type UnitImage, type UnitInspection, type UnitVotes } from '../../../shared/inspect';
import { MNIST_COLS, MNIST_PIXELS } from '../../../shared/mnist';
import { useModelInfo, useTileView } from '../../hooks/useModel';
import { useShownEvaluation } from '../../hooks/useShownEvaluation';
import { useActions, useUi } from '../../hooks/useUi';
import { putImage, scratchImage } from '../../lib/canvas';
import { maxAbs, paintDiverging } from '../../lib/colormap';
import { formatInt, formatPercent } from '../../lib/format';
import { paintTiles, tileGrid } from '../../lib/tileGrid';
import { useInspectDeferred } from './useInspectDeferred';
import { inspectActions } from '../../state/inspectActions';
import { DigitCanvas } from '../DigitCanvas';
import { InspectHead } from './InspectHead';
import { RequestState } from './RequestState';
import './inspect.css';

export function UnitInspector() {
  const info = useModelInfo();
  const layers = useMemo(() => unitLayers(info), [info]);
  const tiles = useTileView();
  const selectedUnit = useUi((s) => s.selectedUnit);
  const evaluationStep = useShownEvaluation()?.step ?? null;
  const runId = useUi((s) => s.run.id);
  const unit = useInspectDeferred((s) => s.unit);
  const inspect = inspectActions();
  const target = unit.target;

  // A tile clicked in the network view: that unit of the tiled layer.
  // (Effect events: each reads the inspector as it is then; only the values in its effect's list start it.)
  const inspectTile = useEffectEvent(() => {
    if (tiles && selectedUnit !== null && selectedUnit < tiles.units) void inspect.inspect({ layer: tiles.layer, unit: selectedUnit });
  });
  useEffect(() => inspectTile(), [selectedUnit, tiles]);
  // A new evaluation on screen, a new run: the same unit at the weights now.
  const refresh = useEffectEvent(() => {
    if (target) void inspect.refresh();
  });
  useEffect(() => refresh(), [evaluationStep, runId]);
  // Another model: a unit of a layer it no longer has is closed.
  const closeGone = useEffectEvent(() => {
    if (target && !layers.some((l) => l.name === target.layer && target.unit < l.units)) inspect.closeUnit();
  });
  useEffect(() => closeGone(), [layers]);

  if (layers.length === 0) return null;
  const layer = layers.find((l) => l.name === target?.layer) ?? layers[0];
  const current = target?.unit ?? 0;
  const go = (next: { layer?: string; unit?: number }) => {
    const name = next.layer ?? layer.name;
    const units = layers.find((l) => l.name === name)?.units ?? 1;
    void inspect.inspect({ layer: name, unit: Math.max(0, Math.min(units - 1, next.unit ?? current)) });
  };
  const result = unit.result && target && unit.result.layer === target.layer && unit.result.unit === target.unit ? unit.result : null;
  const noun = layer.kind === 'conv' ? 'filter' : 'unit';

  return (
    <section
      className="panel unit-inspector"
      data-testid="unit-inspector"
      data-layer={result?.layer ?? ''}
      data-unit={result?.unit ?? ''}
      data-step={result?.step ?? ''}
      data-loading={unit.loading ? 'true' : 'false'}
    >
      <InspectHead
        title="Unit inspector"
        testId="unit-inspector"
        lead={`One hidden unit or convolution filter over all the test images: what it looks for, what drives it most and least, and what it votes for.`}
        explain={
          <>
            <p>
              A unit’s <b>activation</b> for an image is what it passes on to the next layer. The nine images with the largest activation are what the unit “looks for”; the nine with the smallest are
              what switches it off. Its weights show the same from the inside: red pixels raise the activation, blue ones lower it.
            </p>
            <p>
              Its <b>votes</b> are its weights into the output layer: how much each digit’s score rises (or falls) when the unit is active. The histogram shows how its activation spreads over the test
              set; a unit whose activation is the same for every image is <b>dead</b> — it tells the next layer nothing, and with a ReLU it gets no gradient, so training cannot revive it.
            </p>
          </>
        }
      >
        {target && (
          <button type="button" className="link-btn" data-testid="unit-inspector-close" onClick={() => inspect.closeUnit()}>
            close
          </button>
        )}
      </InspectHead>
      <div className="unit-picker">
        <label className="gallery-field">
          layer
          <select data-testid="unit-layer" value={layer.name} onChange={(e) => go({ layer: e.target.value, unit: 0 })}>
            {layers.map((l) => (
              <option key={l.name} value={l.name}>
                {l.name} ({l.units} {l.kind === 'conv' ? 'filters' : 'units'})
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="ins-btn" data-testid="unit-prev" disabled={!target || current === 0} onClick={() => go({ unit: current - 1 })} aria-label={`previous ${noun}`}>
          ‹
        </button>
        <label className="gallery-field">
          {noun}
          <input
            key={`${layer.name}:${current}`}
            data-testid="unit-number"
            type="number"
            min={0}
            max={layer.units - 1}
            defaultValue={target ? current : ''}
            placeholder="0"
            onKeyDown={(e) => {
              if (e.key === 'Enter') go({ unit: Number((e.target as HTMLInputElement).value) || 0 });
            }}
            onBlur={(e) => {
              if (e.target.value !== '' && Number(e.target.value) !== current) go({ unit: Number(e.target.value) || 0 });
            }}
          />
        </label>
        <button
          type="button"
          className="ins-btn"
          data-testid="unit-next"
          disabled={!!target && current >= layer.units - 1}
          onClick={() => go({ unit: target ? current + 1 : 0 })}
          aria-label={`next ${noun}`}
        >
          ›
        </button>
        {!target && (
          <button type="button" className="ins-btn" data-testid="unit-open" onClick={() => go({ unit: 0 })}>
            inspect {layer.name} {noun} 0
          </button>
        )}
        {result && (
          <span className="panel-value">
            at step {formatInt(result.step)}
            {unit.loading ? ' · updating…' : ''}
          </span>
        )}
        {!result && unit.loading && <span className="panel-value">computing over the test set…</span>}
        {target && <RequestState loading={unit.loading} cancelled={unit.cancelled} onCancel={inspect.cancelUnit} onRetry={() => void inspect.retryUnit()} testId="unit-inspector" />}
      </div>
      {!target && <p className="muted unit-hint">Click a tile in the network view (or the output-layer heatmap), or pick a layer and a {noun} here.</p>}
      {unit.error && target && <p className="gallery-error">{unit.error}</p>}
      {result && <UnitBody result={result} />}
    </section>
  );
}

function UnitBody({ result }: { result: UnitInspection }) {
  const noun = result.kind === 'conv' ? 'filter' : 'unit';
  return (
    <div className="unit-body">
      <div className="unit-col">
        <h3 className="unit-sub">
          Weights of {result.layer} {noun} {result.unit}
        </h3>
        <UnitWeights result={result} />
        <p className="unit-note">Activation = {result.measure}.</p>
      </div>
      <div className="unit-col unit-images">
        <ImageRow title="Most active" images={result.top} testId="unit-top" />
        <ImageRow title="Least active" images={result.bottom} testId="unit-bottom" />
        {result.bottom.length > 1 && result.bottom.every((i) => i.activation === result.bottom[0].activation) && result.measure.includes(' after ') && (
          <p className="unit-note">All nine are equal after the activation function: they are ordered by the value before it, the lowest first.</p>
        )}
      </div>
      <div className="unit-col">
        <h3 className="unit-sub">Votes for each digit</h3>
        {result.votes ? (
          <Votes votes={result.votes} />
        ) : (
          <p className="unit-note" data-testid="unit-no-votes">
            {result.noVotes}
          </p>
        )}
      </div>
      <div className="unit-col">
        <h3 className="unit-sub">Activation over the {formatInt(result.histogram.counts.reduce((a, b) => a + b, 0))} test images</h3>
        <Histogram histogram={result.histogram} />
      </div>
    </div>
  );
}

function ImageRow({ title, images, testId }: { title: string; images: UnitImage[]; testId: string }) {
  const actions = useActions();
  return (
    <div className="unit-row">
      <h3 className="unit-sub">{title}</h3>
      <div className="unit-strip" data-testid={testId}>
        {images.map((image) => (
          <button
            type="button"
            key={image.index}
            className={`unit-image ${image.label !== image.predicted ? 'gallery-wrong' : ''}`}
            data-testid="unit-image"
            data-index={image.index}
            data-activation={image.activation}
            title={`test image #${image.index}: true ${image.label}, guessed ${image.predicted}; activation ${image.activation.toFixed(3)}`}
            onClick={() => void actions.selectSample({ index: image.index, label: image.label, predicted: image.predicted, confidence: NaN, pixels: image.pixels })}
          >
            <DigitCanvas pixels={image.pixels} />
            <span className="unit-act">{image.activation.toFixed(2)}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

/** The unit's incoming weights: a 28×28 tile, a filter's k×k kernels, or a strip of its weights from the layer before. */
function UnitWeights({ result }: { result: UnitInspection }) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const { shape, data } = result.weights;
  const drawing = useMemo(() => {
    if (result.readsPixels && data.length === MNIST_PIXELS) return { kind: 'tile' as const, width: MNIST_COLS, height: MNIST_COLS };
    if (shape.length === 3) {
      // One k×k kernel per input channel, in a square-ish grid.
      const grid = tileGrid(shape[0], shape[2], shape[1], Math.ceil(Math.sqrt(shape[0])), Math.max(1, Math.floor(28 / shape[2])));
      return { kind: 'kernels' as const, grid, width: grid.width, height: grid.height };
    }
    return { kind: 'strip' as const, width: data.length, height: 1 };
  }, [result.readsPixels, shape, data.length]);

  useEffect(() => {
    if (!canvas.current) return;
    const image = scratchImage(drawing.width, drawing.height);
    if (drawing.kind === 'kernels') paintTiles(data, drawing.grid, image.data, 'tile');
    else paintDiverging(data, 0, data.length, maxAbs(data), image.data);
    putImage(canvas.current, image);
  }, [drawing, data]);

  const scale = maxAbs(data);
  return (
    <div className="unit-weights">
      <canvas ref={canvas} width={drawing.width} height={drawing.height} className={`unit-weights-canvas unit-weights-${drawing.kind}`} data-testid="unit-weights" />
      <span className="unit-note">
        {drawing.kind === 'strip' ? `its ${data.length} weights from the layer before, ` : ''}
        {drawing.kind === 'kernels' && shape[0] > 1 ? `one ${shape[1]}×${shape[2]} kernel per input channel (${shape[0]}), each scaled to itself; ` : ''}blue −{scale.toPrecision(2)} · white 0 · red +
        {scale.toPrecision(2)}
      </span>
    </div>
  );
}

function Votes({ votes }: { votes: UnitVotes }) {
  const scale = Math.max(1e-9, ...votes.values.map(Math.abs));
  return (
    <div className="unit-votes" data-testid="unit-votes" title={votes.how}>
      {votes.values.map((v, d) => (
        <div className="vote" key={d} data-testid="unit-vote" data-value={v}>
          <span className="vote-digit">{d}</span>
          <span className="vote-track">
            <span className={v >= 0 ? 'vote-bar vote-pos' : 'vote-bar vote-neg'} style={{ width: `${(Math.abs(v) / scale) * 50}%`, [v >= 0 ? 'left' : 'right']: '50%' }} />
          </span>
          <span className="vote-value">
            {v >= 0 ? '+' : '−'}
            {Math.abs(v).toFixed(2)}
          </span>
        </div>
      ))}
      <div className="vote-scale" aria-hidden="true">
        <span>−{scale.toFixed(2)}</span>
        <span>0</span>
        <span>+{scale.toFixed(2)}</span>
      </div>
      <p className="unit-note">{votes.how}.</p>
    </div>
  );
}

function Histogram({ histogram }: { histogram: UnitHistogram }) {
  const { counts, min, max, zeros, dead } = histogram;
  const total = counts.reduce((a, b) => a + b, 0);
  const peak = Math.max(1, ...counts);
  const width = 240;
  const height = 80;
  const bar = width / counts.length;
  return (
    <div className="unit-histogram" data-testid="unit-histogram" data-dead={dead ? 'true' : 'false'}>
      {dead && (
        <p className="unit-dead" data-testid="unit-dead">
          Dead: its activation is {min.toFixed(3)} for every test image — it passes nothing on.
        </p>
      )}
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} preserveAspectRatio="none" role="img" aria-label={`histogram of activations from ${min.toFixed(2)} to ${max.toFixed(2)}`}>
        {counts.map((c, i) => (
          <rect key={i} x={i * bar + 0.5} width={Math.max(0.5, bar - 1)} y={height - (c / peak) * height} height={(c / peak) * height} className="hist-bar">
            <title>{`${formatInt(c)} images`}</title>
          </rect>
        ))}
      </svg>
      <div className="hist-axis">
        <span>{min.toFixed(2)}</span>
        <span>{max.toFixed(2)}</span>
      </div>
      {!dead && zeros > 0 && <p className="unit-note">Exactly 0 (silent) for {formatPercent(zeros / total, 1)} of the test images.</p>}
    </div>
  );
}

// The test set, a page at a time, as the evaluation the confusion matrix shows answered it: a
// cell of the matrix opened (true 4, guessed 9: every such image, most confident first), the
// most confidently wrong, or any filter of true digit, guess and right/wrong. Each image with
// its ten probabilities; clicking one runs it through the network view. Pages come from the
// training worker (shared/inspect.ts); nothing here computes over the test set.
import { memo, useEffect, useEffectEvent } from 'react';
import { MNIST_CLASSES } from '../../../shared/mnist';
import type { TestFilter, TestImage } from '../../../shared/inspect';
import { useShownEvaluation } from '../../hooks/useShownEvaluation';
import { useActions, useUi } from '../../hooks/useUi';
import { formatInt, formatPercent } from '../../lib/format';
import { GALLERY_PAGE } from '../../state/inspectStore';
import { useInspectDeferred } from './useInspectDeferred';
import { inspectActions } from '../../state/inspectActions';
import { DigitCanvas } from '../DigitCanvas';
import { InspectHead } from './InspectHead';
import { RequestState } from './RequestState';
import { ProbabilityBars } from './ProbabilityBars';
import './inspect.css';

const DIGITS = Array.from({ length: MNIST_CLASSES }, (_, i) => i);

/** What the filter shows, in words: "true 4 guessed as 9", "wrong answers", "all test images". */
export function filterText(filter: TestFilter): string {
  const parts: string[] = [];
  if (filter.correct === false) parts.push('wrong answers');
  if (filter.correct === true) parts.push('right answers');
  if (filter.label !== null) parts.push(`true ${filter.label}`);
  if (filter.predicted !== null) parts.push(`guessed ${filter.predicted}`);
  return parts.length > 0 ? parts.join(', ') : 'all test images';
}

export function TestGallery() {
  const gallery = useInspectDeferred((s) => s.gallery);
  const evaluationStep = useShownEvaluation()?.step ?? null;
  const runId = useUi((s) => s.run.id);
  const inspect = inspectActions();
  // A new evaluation on screen (or a new run): the same page, answered again.
  // (an effect event: it reads the gallery as it is then, and only the evaluation and the run start it)
  const refresh = useEffectEvent(() => {
    if (gallery.open) void inspect.refresh();
  });
  useEffect(() => refresh(), [evaluationStep, runId]);

  if (!gallery.open) return null;
  const { query, page } = gallery;
  const { filter } = query;
  const total = page?.total ?? 0;
  const last = Math.min(total, query.offset + GALLERY_PAGE);
  const setFilter = (patch: Partial<TestFilter>) => void inspect.setGalleryQuery({ filter: { ...filter, ...patch } });
  const digitSelect = (value: number | null, onChange: (d: number | null) => void, testId: string, label: string) => (
    <label className="gallery-field">
      {label}
      <select data-testid={testId} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}>
        <option value="">any</option>
        {DIGITS.map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section
      className="panel gallery"
      data-testid="gallery"
      data-total={page ? page.total : ''}
      data-step={page?.step ?? ''}
      data-offset={query.offset}
      data-loading={gallery.loading ? 'true' : 'false'}
    >
      <InspectHead
        title="Test images"
        testId="gallery"
        lead="Every test image the filter picks, with the network’s ten probabilities, as scored at the step shown."
        explain={
          <>
            <p>
              These are the answers of the evaluation the confusion matrix shows: opening a cell lists exactly the images counted in it. Sorted by confidence, the first are those the network is surest
              about — for a wrong cell, the most confidently wrong.
            </p>
            <p>
              Confidently wrong images are often badly written, mislabelled, or look like another digit; a few are plain mistakes a better network would not make. Click an image to see how the network
              reads it.
            </p>
          </>
        }
      >
        <span className="panel-value panel-value-lead" data-testid="gallery-summary">
          {page ? `${formatInt(page.total)} · ${filterText(filter)} · step ${formatInt(page.step)}` : gallery.loading ? 'loading…' : ''}
        </span>
        <RequestState
          loading={gallery.loading}
          cancelled={gallery.cancelled}
          onCancel={inspect.cancelGallery}
          onRetry={() => void inspect.setGalleryQuery({ offset: query.offset })}
          testId="gallery"
        />
        <button type="button" className="link-btn" data-testid="gallery-close" onClick={() => inspect.closeGallery()}>
          close
        </button>
      </InspectHead>
      <div className="gallery-controls">
        {digitSelect(filter.label, (label) => setFilter({ label }), 'gallery-label', 'true digit')}
        {digitSelect(filter.predicted, (predicted) => setFilter({ predicted }), 'gallery-guess', 'guess')}
        <label className="gallery-field">
          answer
          <select
            data-testid="gallery-correct"
            value={filter.correct === null ? '' : filter.correct ? 'right' : 'wrong'}
            onChange={(e) => setFilter({ correct: e.target.value === '' ? null : e.target.value === 'right' })}
          >
            <option value="">right or wrong</option>
            <option value="right">right</option>
            <option value="wrong">wrong</option>
          </select>
        </label>
        <label className="gallery-field">
          order
          <select data-testid="gallery-order" value={query.order} onChange={(e) => void inspect.setGalleryQuery({ order: e.target.value === 'confidence' ? 'confidence' : 'index' })}>
            <option value="index">test set order</option>
            <option value="confidence">most confident first</option>
          </select>
        </label>
        <button type="button" className="ins-btn" data-testid="gallery-confidently-wrong" onClick={() => void inspect.openGallery({ label: null, predicted: null, correct: false }, 'confidence')}>
          most confidently wrong
        </button>
        <span className="gallery-pager">
          <button
            type="button"
            className="ins-btn"
            data-testid="gallery-prev"
            disabled={query.offset === 0}
            onClick={() => void inspect.setGalleryQuery({ offset: Math.max(0, query.offset - GALLERY_PAGE) })}
          >
            ‹ previous
          </button>
          <span data-testid="gallery-range">
            {total === 0 ? '0' : `${formatInt(query.offset + 1)}–${formatInt(last)}`} of {formatInt(total)}
          </span>
          <button type="button" className="ins-btn" data-testid="gallery-next" disabled={last >= total} onClick={() => void inspect.setGalleryQuery({ offset: query.offset + GALLERY_PAGE })}>
            next ›
          </button>
        </span>
      </div>
      {gallery.error && <p className="gallery-error">{gallery.error}</p>}
      {page && page.images.length === 0 ? (
        <div className="panel-empty">
          No test image is {filterText(filter)} at step {formatInt(page.step)}.
        </div>
      ) : (
        <div className="gallery-grid">
          {page?.images.map((image) => (
            <GalleryImage key={image.index} image={image} />
          ))}
        </div>
      )}
    </section>
  );
}

/** The same image with the same answer (a page asked again after an evaluation that changed nothing for it) is not drawn again. */
const GalleryImage = memo(
  GalleryImageView,
  (a, b) => a.image.index === b.image.index && a.image.predicted === b.image.predicted && a.image.probabilities.every((p, d) => p === b.image.probabilities[d]),
);

function GalleryImageView({ image }: { image: TestImage }) {
  const actions = useActions();
  const source = `test image #${image.index}`;
  const selected = useUi((s) => s.selected?.source === source);
  const wrong = image.label !== image.predicted;
  const confidence = image.probabilities[image.predicted] ?? 0;
  return (
    <button
      type="button"
      className={`gallery-image ${wrong ? 'gallery-wrong' : ''} ${selected ? 'sample-selected' : ''}`}
      data-testid="gallery-image"
      data-index={image.index}
      data-label={image.label}
      data-predicted={image.predicted}
      data-confidence={confidence}
      title={`${source}: true ${image.label}, guessed ${image.predicted} (${formatPercent(confidence, 1)}) — click to see how the network reads it`}
      onClick={() => void actions.selectSample({ index: image.index, label: image.label, predicted: image.predicted, confidence, pixels: image.pixels })}
    >
      <DigitCanvas pixels={image.pixels} />
      <span className="gallery-answer">
        <b>{image.predicted}</b> {formatPercent(confidence, 0)}
        {wrong && <span className="gallery-truth">true {image.label}</span>}
      </span>
      <ProbabilityBars probabilities={image.probabilities} label={image.label} predicted={image.predicted} />
    </button>
  );
}

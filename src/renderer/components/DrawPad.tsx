// Draw a digit with the mouse (or pen, or finger); each finished stroke is classified
// through the same pipeline as dropped files, and the drawing becomes the network
// view's input.
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { getApi } from '../api';
import { useActions } from '../hooks/useUi';
import { classifyImage, type DigitResult } from '../images/classifyImage';
import { messageOf } from '../../shared/messageOf';
import { DigitResultView } from './ClassifyResults';
import { KeepDigit } from './experiments/KeepDigit';
import { PanelHead } from './explain/PanelHead';
import './classify.css';

/** Canvas resolution; CSS shows it at the same size. */
const SIZE = 196;
/** About a sixth of the box, like an MNIST pen stroke once the digit is scaled to 20 px. */
const PEN_WIDTH = 16;

export function DrawPad() {
  const actions = useActions();
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const ticket = useRef(0);
  const [result, setResult] = useState<DigitResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [empty, setEmpty] = useState(true);

  const context = () => canvas.current?.getContext('2d', { willReadFrequently: true }) ?? null;

  const clear = () => {
    const ctx = context();
    if (ctx) {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, SIZE, SIZE);
    }
    ticket.current++;
    setResult(null);
    setError(null);
    setEmpty(true);
  };
  useEffect(clear, []);

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * SIZE, y: ((event.clientY - box.top) / box.height) * SIZE };
  };

  const strokeTo = (to: { x: number; y: number }) => {
    const ctx = context();
    const from = last.current ?? to;
    if (!ctx) return;
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    last.current = to;
  };

  const classify = async () => {
    const ctx = context();
    if (!ctx) return;
    const mine = ++ticket.current; // a newer stroke's answer wins
    try {
      const { data } = ctx.getImageData(0, 0, SIZE, SIZE);
      const answer = await classifyImage(getApi(), { width: SIZE, height: SIZE, data });
      if (mine !== ticket.current) return;
      setResult(answer);
      setError(null);
      void actions.selectInput({ pixels: answer.input, label: null, source: 'your drawing' });
    } catch (err) {
      if (mine === ticket.current) setError(messageOf(err));
    }
  };

  return (
    <section className="panel draw-pad" data-testid="draw-pad">
      <PanelHead title="Draw a digit" topic="draw">
        <button type="button" className="classify-button" onClick={clear} disabled={empty} data-testid="draw-clear">
          Clear
        </button>
      </PanelHead>
      <canvas
        ref={canvas}
        width={SIZE}
        height={SIZE}
        className="draw-canvas"
        data-testid="draw-canvas"
        aria-label="Drawing area: draw a digit with the mouse"
        onPointerDown={(event) => {
          event.preventDefault(); // no text selection while drawing
          event.currentTarget.setPointerCapture(event.pointerId);
          last.current = null;
          strokeTo(point(event));
          setEmpty(false);
        }}
        onPointerMove={(event) => {
          if (last.current) strokeTo(point(event));
        }}
        onPointerUp={() => {
          if (!last.current) return;
          last.current = null;
          void classify();
        }}
        onPointerCancel={() => {
          last.current = null;
        }}
      />
      {error && (
        <div className="classify-error" role="alert">
          {error}
        </div>
      )}
      {result && (
        <div data-testid="draw-result" data-predicted={result.classification.predicted}>
          <DigitResultView result={result} />
          <KeepDigit key={ticket.current} pixels={result.input} predicted={result.classification.predicted} />
        </div>
      )}
    </section>
  );
}

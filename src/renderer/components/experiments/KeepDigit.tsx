// "Keep as": a row of digit buttons under a drawn or dropped digit; the one pressed labels it
// and keeps it in My digits. The model's guess is marked, but the learner says what it is.
import { useState } from 'react';
import { MNIST_CLASSES } from '../../../shared/mnist';
import { useMyDigitsActions } from './MyDigitsPanel';
import './experiments.css';

const DIGITS = Array.from({ length: MNIST_CLASSES }, (_, d) => d);

export function KeepDigit({ pixels, predicted }: { pixels: Float32Array; predicted: number | null }) {
  const actions = useMyDigitsActions();
  const [kept, setKept] = useState<number | null>(null);
  return (
    <div className="keep-digit" data-testid="keep-digit" role="group" aria-label="Keep in My digits as">
      <span className="keep-label">{kept === null ? 'Keep as' : `Kept as ${kept}; again as`}</span>
      {DIGITS.map((digit) => (
        <button
          key={digit}
          type="button"
          className={digit === predicted ? 'keep-button keep-guess' : 'keep-button'}
          data-testid={`keep-as-${digit}`}
          aria-label={`Keep as ${digit}`}
          title={`This is a ${digit}: keep it in My digits`}
          onClick={() => {
            setKept(digit);
            void actions.keep(pixels, digit);
          }}
        >
          {digit}
        </button>
      ))}
    </div>
  );
}

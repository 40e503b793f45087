// A number input that lets the user type freely ("0.", "1e-") and only passes
// on values that parse and fit the range; anything else is flagged, not sent.
import { useEffect, useId, useState, type ReactNode } from 'react';

export interface NumberFieldProps {
  label: string;
  value: number;
  onChange(value: number): void;
  min: number;
  max: number;
  integer?: boolean;
  step?: number | 'any';
  disabled?: boolean;
  testId: string;
  hint?: ReactNode;
}

export function parseField(text: string, min: number, max: number, integer: boolean): number | null {
  if (text.trim() === '') return null;
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || v > max) return null;
  if (integer && !Number.isInteger(v)) return null;
  return v;
}

export function NumberField({ label, value, onChange, min, max, integer = false, step = 'any', disabled, testId, hint }: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(String(value));
  const [focused, setFocused] = useState(false);
  // Follow outside changes (a Reset, a reload) unless the user is typing here.
  useEffect(() => {
    if (!focused && parseField(text, min, max, integer) !== value) setText(String(value));
  }, [value, focused]);
  const invalid = parseField(text, min, max, integer) === null;

  return (
    <div className={`field ${invalid ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        data-testid={testId}
        value={text}
        step={step}
        disabled={disabled}
        aria-invalid={invalid}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(e) => {
          setText(e.target.value);
          const v = parseField(e.target.value, min, max, integer);
          if (v !== null) onChange(v);
        }}
      />
      {invalid && (
        <span className="field-error">
          {integer ? 'a whole number' : 'a number'} from {min} to {max}
        </span>
      )}
      {!invalid && hint}
    </div>
  );
}

// A number input that lets the user type freely ("0.", "1e-") and only passes on values
// that parse and fit the range. Text that does not stays in the field, marked, with what is
// allowed, until the user fixes it — also after leaving the field: a value is never changed
// behind the user's back. The store hears of it (setFieldError), so Train and Reset wait.
// Its help text (from the registry: what it does, what too large or too small does) shows
// while the field is pointed at or focused.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useActions } from '../hooks/useUi';

export interface NumberFieldProps {
  label: string;
  /** What the setting does; shown as the field's tooltip. */
  help: string;
  value: number;
  onChange(value: number): void;
  min: number;
  max: number;
  integer?: boolean;
  disabled?: boolean;
  testId: string;
  /** The name its complaint is kept under in the store; the test id unless several fields share one. */
  errorKey?: string;
  hint?: ReactNode;
}

export function parseField(text: string, min: number, max: number, integer: boolean): number | null {
  if (text.trim() === '') return null;
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || v > max) return null;
  if (integer && !Number.isInteger(v)) return null;
  return v;
}

/** What the field accepts, in words. */
export function allowedText(min: number, max: number, integer: boolean): string {
  return `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;
}

export function NumberField({ label, help, value, onChange, min, max, integer = false, disabled, testId, errorKey = testId, hint }: NumberFieldProps) {
  const actions = useActions();
  const id = useId();
  const [text, setText] = useState(String(value));
  const [focused, setFocused] = useState(false);
  const invalid = parseField(text, min, max, integer) === null;
  // Follow outside changes (a Reset, a loaded file, another window) unless the user is typing
  // here or the field holds text still to be fixed.
  useEffect(() => {
    if (!focused && !invalid && parseField(text, min, max, integer) !== value) setText(String(value));
  }, [value, focused, text, invalid, min, max, integer]);

  const problem = invalid ? `${label}: ${allowedText(min, max, integer)}` : null;
  // A field that goes away (another optimizer's setting, a removed layer) or is renamed takes
  // its complaint with it.
  useEffect(() => {
    actions.setFieldError(errorKey, problem);
    return () => actions.setFieldError(errorKey, null);
  }, [problem, errorKey, actions]);

  return (
    <div className={`field has-help ${invalid ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        data-testid={testId}
        value={text}
        disabled={disabled}
        aria-invalid={invalid}
        aria-describedby={`${id}-help${invalid ? ` ${id}-error` : ''}`}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(e) => {
          setText(e.target.value);
          const v = parseField(e.target.value, min, max, integer);
          if (v !== null) onChange(v);
        }}
      />
      {invalid ? (
        <span className="field-error" id={`${id}-error`} role="alert" data-testid={`${testId}-error`}>
          Must be {allowedText(min, max, integer)}; until then {value} stays in use, and Train and Reset wait.
        </span>
      ) : (
        hint
      )}
      <span className="field-help" id={`${id}-help`} role="tooltip" data-testid={`${testId}-help`}>
        {help}
      </span>
    </div>
  );
}

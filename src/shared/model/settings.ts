// The typed settings a registry entry declares (a layer's `out`, an optimizer's `lr`): one
// description serves validation on the Node side, the CLI's flags and the UI's fields.

export interface NumberSetting {
  kind: 'int' | 'number';
  label: string;
  /** One sentence for tooltips and --help: what it does, what too large or too small does. */
  help: string;
  min: number;
  max: number;
  default: number;
  /** When left out, take the value of this other setting of the same entry instead of `default` (a pool's stride is its kernel size). */
  defaultFrom?: string;
  /**
   * An on/off switch kept as 0 or 1 (kind 'int', 0 to 1): optimizer hyperparameters are numbers in every config,
   * message, flag and weights file. The UI shows a checkbox.
   */
  onOff?: true;
}

export interface BooleanSetting {
  kind: 'bool';
  label: string;
  help: string;
  default: boolean;
}

export type Setting = NumberSetting | BooleanSetting;
export type SettingValue<S extends Setting> = S extends BooleanSetting ? boolean : number;

/** Why `value` is not a valid `setting`, or null when it is. */
export function settingProblem(setting: Setting, value: unknown): string | null {
  if (setting.kind === 'bool') return typeof value === 'boolean' ? null : `must be true or false (got ${describeValue(value)})`;
  const isNumber = typeof value === 'number' && Number.isFinite(value);
  if (setting.kind === 'int' && !(isNumber && Number.isInteger(value))) return `must be an integer from ${setting.min} to ${setting.max} (got ${describeValue(value)})`;
  if (!isNumber) return `must be a number from ${setting.min} to ${setting.max} (got ${describeValue(value)})`;
  if (value < setting.min || value > setting.max) return `must be from ${setting.min} to ${setting.max} (got ${describeValue(value)})`;
  return null;
}

/** A short, bounded description of an untrusted value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** True when `record` is a plain object (not null, an array or a typed array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

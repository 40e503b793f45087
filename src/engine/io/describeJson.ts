// Untrusted JSON values in error messages, briefly. JSON.stringify of what a file holds can
// be ten million characters (a 5M-element array), or overflow the stack (100 000 nested
// arrays); a message needs only what kind of value it was.

const MAX_QUOTED = 60;

/** A string in quotes, cut after 60 characters. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
}

/** `12`, `"F32"`, `null`, `an array of 5000000 items`, `an object`: never long, never recursive. */
export function describeJson(value: unknown): string {
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

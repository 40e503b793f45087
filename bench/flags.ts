// Command-line values of the bench scripts, checked where they enter.

/** `text` as a positive integer, or an error naming the flag and showing the usage. */
export function positiveInteger(flag: string, text: string | undefined, usage: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${text}\n${usage}`);
  return n;
}

// The text of a failure as users see it (a reply, an error event, a line on stderr).

/** Messages are cut to this many characters (leaving room for a prefix under 500): a file or message can make an error quote megabytes. */
export const MAX_MESSAGE_CHARS = 400;

/** The text to show or send for a thrown value: an Error's message, anything else as a string; never longer than MAX_MESSAGE_CHARS. */
export function messageOf(error: unknown): string {
  return capMessage(error instanceof Error ? error.message : String(error));
}

/** `text`, or its start and how long it was in all. */
export function capMessage(text: string, max = MAX_MESSAGE_CHARS): string {
  if (text.length <= max) return text;
  const note = ` … (cut: the message is ${text.length.toLocaleString('en-US')} characters long)`;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}

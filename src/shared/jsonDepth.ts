// How deeply JSON text nests arrays and objects, found by a scan that does not recurse.
//
// JSON.parse copes with any depth, but whatever walks the result recursively (our wire
// decoder, JSON.stringify in a message) dies of "Maximum call stack size exceeded" on
// 100 000 levels, which tells nobody what was wrong. Nothing we exchange nests deeper
// than a handful of levels, so text past the limit is refused before it is parsed.

/** No message or file header of ours nests deeper than this. */
export const MAX_JSON_DEPTH = 32;

/** The deepest nesting of `[`/`{` outside string literals. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return deepest;
}

/** Throws `new Error(...)` naming `what` when `text` nests deeper than `limit`. */
export function checkJsonDepth(text: string, what: string, limit = MAX_JSON_DEPTH): void {
  const depth = jsonDepth(text);
  if (depth > limit) {
    throw new Error(`${what} nests arrays and objects ${depth} levels deep; at most ${limit} are allowed`);
  }
}

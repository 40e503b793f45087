// JSON.parse keeps the last of two equal keys and says nothing. A safetensors header with
// two entries of the same name is ambiguous (which bytes are the tensor?), so the header
// text itself is scanned for a repeated key in any object.

/**
 * Returns the first key that appears twice in one object of `json`, with the path of that
 * object (e.g. `l1.weight` for a repeated field inside that entry, '' for the top level),
 * or null. `json` must already be well-formed (checked by JSON.parse first).
 */
export function findDuplicateKey(json: string): { key: string; path: string } | null {
  type Frame = { keys: Set<string> | null; expectKey: boolean; path: string; lastKey: string };
  const stack: Frame[] = [];
  let i = 0;
  while (i < json.length) {
    const ch = json[i];
    const top = stack[stack.length - 1];
    if (ch === '{' || ch === '[') {
      const path = top && top.keys ? joinPath(top.path, top.lastKey) : top ? top.path : '';
      stack.push({ keys: ch === '{' ? new Set() : null, expectKey: ch === '{', path, lastKey: '' });
      i++;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      i++;
    } else if (ch === ',') {
      if (top && top.keys) top.expectKey = true;
      i++;
    } else if (ch === '"') {
      const end = endOfString(json, i);
      if (top && top.keys && top.expectKey) {
        const key = JSON.parse(json.slice(i, end)) as string;
        if (top.keys.has(key)) return { key, path: top.path };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = end;
    } else {
      i++; // whitespace, ':', numbers, literals
    }
  }
  return null;
}

/** Index just past the closing quote of the string literal opening at `start`. */
function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length) {
    const ch = json[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  return json.length;
}

function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

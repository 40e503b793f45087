// Seeded mutation of files and messages for the fuzz test: byte-level (bit flips, boundary
// values in length and size fields, truncation, insertion, splices) and structure-level (a
// JSON value somewhere replaced by something hostile: huge numbers, deep nesting, prototype
// names as keys, long strings and arrays, wrong types). Deterministic for a seed.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** mulberry32: a small, well-mixed 32-bit generator. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Values that sit on a boundary of some field: zero, one, the top of each width, our own limits. */
const INTERESTING_32 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 16_383, 16_384, 16_385, 40_000_000, 0x7fffffff, 0x80000000, 0xffffffff];
const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xfe, 0xff];

export interface Mutated {
  bytes: Uint8Array;
  what: string;
}

/** 1–4 byte-level mutations; half of the offsets fall in the first 64 bytes, where the headers are. */
export function mutateBytes(rng: Random, input: Uint8Array, donors: readonly Uint8Array[] = []): Mutated {
  let bytes: Uint8Array = input.slice();
  const steps: string[] = [];
  const offset = (length: number) => (length === 0 ? 0 : rng.chance(0.5) ? rng.int(Math.min(64, length)) : rng.int(length));
  const count = 1 + rng.int(4);
  for (let k = 0; k < count; k++) {
    const at = offset(bytes.length);
    switch (rng.int(9)) {
      case 0:
        if (bytes.length === 0) break;
        bytes[at] ^= 1 << rng.int(8);
        steps.push(`flip bit at ${at}`);
        break;
      case 1:
        if (bytes.length === 0) break;
        bytes[at] = rng.chance(0.5) ? rng.pick(INTERESTING_8) : rng.int(256);
        steps.push(`byte ${at} = ${bytes[at]}`);
        break;
      case 2: {
        if (bytes.length < 4) break;
        const p = Math.min(at, bytes.length - 4);
        const value = rng.pick(INTERESTING_32);
        new DataView(bytes.buffer, bytes.byteOffset).setUint32(p, value, rng.chance(0.5));
        steps.push(`u32 at ${p} = ${value}`);
        break;
      }
      case 3: {
        const length = rng.int(bytes.length + 1);
        bytes = bytes.slice(0, length);
        steps.push(`truncate to ${length}`);
        break;
      }
      case 4: {
        const insert = Uint8Array.from({ length: 1 + rng.int(64) }, () => rng.int(256));
        bytes = concat(bytes.subarray(0, at), insert, bytes.subarray(at));
        steps.push(`insert ${insert.length} at ${at}`);
        break;
      }
      case 5: {
        const length = rng.int(Math.max(1, bytes.length - at));
        bytes = concat(bytes.subarray(0, at), bytes.subarray(at + length));
        steps.push(`delete ${length} at ${at}`);
        break;
      }
      case 6: {
        // Repeat a stretch (chunks twice, a header field duplicated).
        const length = 1 + rng.int(Math.min(256, Math.max(1, bytes.length - at)));
        bytes = concat(bytes.subarray(0, at + length), bytes.subarray(at, at + length), bytes.subarray(at + length));
        steps.push(`repeat ${length} at ${at}`);
        break;
      }
      case 7: {
        if (donors.length === 0 || bytes.length === 0) break;
        const donor = rng.pick(donors);
        const from = rng.int(Math.max(1, donor.length));
        const length = Math.min(1 + rng.int(128), bytes.length - at, donor.length - from);
        if (length > 0) bytes.set(donor.subarray(from, from + length), at);
        steps.push(`splice ${Math.max(0, length)} from another file at ${at}`);
        break;
      }
      default: {
        // A random stretch of random bytes.
        const length = Math.min(1 + rng.int(32), bytes.length - at);
        for (let i = 0; i < length; i++) bytes[at + i] = rng.int(256);
        steps.push(`randomise ${Math.max(0, length)} at ${at}`);
      }
    }
  }
  return { bytes, what: steps.join(', ') || 'unchanged' };
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** A hostile JSON value (as text, so that `__proto__` keys and depth survive). */
export function hostileJson(rng: Random): { text: string; what: string } {
  switch (rng.int(14)) {
    case 0:
      return { text: rng.pick(['1e308', '-1e308', '1e30', '-1', '0', '-0', '4294967296', '9007199254740993', '0.5e-323']), what: 'a boundary number' };
    case 1: {
      const depth = rng.pick([33, 100, 2000]);
      return { text: '['.repeat(depth) + ']'.repeat(depth), what: `${depth} nested arrays` };
    }
    case 2: {
      const depth = rng.pick([33, 500]);
      return { text: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), what: `${depth} nested objects` };
    }
    case 3: {
      const name = rng.pick(PROTOTYPE_NAMES);
      return { text: `{${JSON.stringify(name)}:${rng.pick(['5', '"x"', '{}', '[]', 'null', '{"lr":1e30}'])}}`, what: `an object keyed ${name}` };
    }
    case 4:
      return { text: JSON.stringify('x'.repeat(rng.pick([256, 10_000]))), what: 'a long string' };
    case 5: {
      const length = rng.pick([785, 5000, 100_000]);
      return { text: `[${'0.5,'.repeat(length - 1)}0.5]`, what: `an array of ${length} numbers` };
    }
    case 6:
      return { text: rng.pick(['null', 'true', 'false', '""', '[]', '{}']), what: 'an empty or wrong-typed value' };
    case 7:
      return { text: rng.pick(['"NaN"', '"Infinity"', '"1e30"', '"0x10"', '" 5"']), what: 'a number as a string' };
    case 8:
      return { text: `{"$typed":"f32","offset":${rng.pick([0, -1, 1e12])},"byteLength":${rng.pick([4, 3, 1e12])}}`, what: 'a typed-array tag in text' };
    case 9:
      return { text: JSON.stringify('\u0000\uD800"\\'), what: 'control characters and a lone surrogate' };
    case 10:
      return { text: JSON.stringify(rng.pick(['../../etc/passwd', 'C:\\x', 'a/b.safetensors', ''])), what: 'a path as a name' };
    case 11:
      return { text: `[${'[],'.repeat(2000)}[]]`, what: 'many empty arrays' };
    case 12:
      return { text: `{${Array.from({ length: 300 }, (_, i) => `"k${i}":${i}`).join(',')}}`, what: 'an object of 300 keys' };
    default:
      return { text: String(rng.int(1 << 30) - (1 << 29)), what: 'a random integer' };
  }
}

/**
 * Replaces one value somewhere in a JSON document (chosen uniformly among its values) with a
 * hostile one, or renames a key to a prototype name, or drops a key. Works on the text so
 * that what JSON.stringify would refuse to write (a `__proto__` key) can still be sent.
 */
export function mutateJson(rng: Random, value: unknown): { text: string; what: string } {
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(node)) node.forEach((item, i) => (i < 20 || rng.chance(0.01)) && walk(item, [...path, i]));
    else if (node !== null && typeof node === 'object' && !ArrayBuffer.isView(node)) for (const [key, item] of Object.entries(node)) walk(item, [...path, key]);
  };
  walk(value, []);
  const target = rng.pick(paths);
  const placeholder = `__FUZZ_${rng.int(1e9)}__`;
  const mode = rng.int(10);
  const parentPath = target.slice(0, -1);
  const last = target[target.length - 1];
  const parent = parentPath.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
  const copy = structuredClone(value);
  const parentCopy = parentPath.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], copy) as Record<string | number, unknown>;
  if (mode === 0 && typeof last === 'string' && parent && typeof parent === 'object' && !Array.isArray(parent)) {
    const name = rng.pick(PROTOTYPE_NAMES);
    const entries = Object.entries(parentCopy).map(([k, v]) => [k === last ? placeholder : k, v]);
    const replaced = Object.fromEntries(entries);
    setAt(copy, parentPath, replaced);
    return { text: JSON.stringify(copy === parentCopy ? replaced : copy).replace(JSON.stringify(placeholder), JSON.stringify(name)), what: `key ${String(last)} renamed ${name}` };
  }
  if (mode === 1 && typeof last === 'string' && parentCopy && typeof parentCopy === 'object' && !Array.isArray(parentCopy) && !ArrayBuffer.isView(parentCopy)) {
    delete parentCopy[last];
    return { text: JSON.stringify(copy), what: `key ${String(last)} dropped` };
  }
  const hostile = hostileJson(rng);
  if (target.length === 0) return { text: hostile.text, what: `the whole message is ${hostile.what}` };
  parentCopy[last] = placeholder;
  return { text: JSON.stringify(copy).replace(JSON.stringify(placeholder), hostile.text), what: `${target.join('.')} = ${hostile.what}` };
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  if (path.length === 0) return;
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
}

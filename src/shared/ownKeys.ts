// Reading keys named by untrusted input. `key in object` and `object[key]` also see what
// every object inherits: `{"toString": 5}` would pass for a known setting, and
// `{"__proto__": {...}}` assigned with `out[key] = value` replaces an object's prototype
// instead of adding a key. Input-named keys go through these instead.

/** The value of an own property, or undefined (never an inherited one). */
export function ownValue(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/** An object from entries whose keys came from input: `__proto__` becomes an ordinary key. */
export function objectFromEntries<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries(entries) as Record<string, T>;
}

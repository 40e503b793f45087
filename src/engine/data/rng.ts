// A seeded, deterministic random number generator: sfc32 (fast, 128-bit state, passes
// PractRand) seeded through splitmix32, with Box-Muller for normals. Same seed, same run.

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

/** Anything that draws uniform integers: an `Rng`, or a scripted stand-in in tests. */
export interface RandomSource {
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** Fisher-Yates shuffle in place, drawing from `random`; returns the same array. */
export function shuffleInPlace<A extends { length: number; [i: number]: unknown }>(array: A, random: RandomSource): A {
  for (let i = array.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** Where an Rng is in its stream (Rng.state / setState): to continue a run exactly. */
export interface RngState {
  words: number[];
  spareNormal: number | null;
}

export class Rng implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box-Muller makes normals in pairs; the second waits here. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
    let s = Math.trunc(seed) | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      let w: number;
      [s, w] = splitmix32(s);
      words.push(w);
    }
    [this.a, this.b, this.c, this.d] = words;
    for (let i = 0; i < 12; i++) this.nextUint32(); // let the seed diffuse through the state
  }

  /** The generator's position: its four state words (uint32) and a waiting normal (or null). */
  state(): RngState {
    return { words: [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0], spareNormal: this.spareNormal };
  }

  /** Continues from a position `state()` gave: the same numbers follow. */
  setState(state: RngState): void {
    if (state.words.length !== 4 || !state.words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new Error('Rng.setState: the state must be four 32-bit unsigned integers');
    }
    [this.a, this.b, this.c, this.d] = state.words.map((w) => w | 0);
    this.spareNormal = state.spareNormal;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u1 = 1 - this.next(); // (0, 1]: log stays finite
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<A extends { length: number; [i: number]: unknown }>(array: A): A {
    return shuffleInPlace(array, this);
  }
}

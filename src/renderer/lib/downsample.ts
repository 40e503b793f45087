// Charts draw a few hundred points however long training runs. Picking the
// minimum and maximum of each bucket (in their original order) keeps spikes
// visible, where a plain stride would hide them.

/**
 * Indices into `values` (ascending, no duplicates) to draw, at most `maxPoints` of them.
 * The first and last index are always included; every bucket contributes its min and max.
 */
export function minMaxIndices(values: ArrayLike<number>, maxPoints: number): Uint32Array {
  const n = values.length;
  if (!Number.isInteger(maxPoints) || maxPoints < 4) {
    throw new RangeError(`maxPoints must be an integer >= 4, got ${maxPoints}`);
  }
  if (n <= maxPoints) return allIndices(n);
  // First and last are kept apart; the interior gets two points per bucket.
  const buckets = Math.floor((maxPoints - 2) / 2);
  const out = new Uint32Array(maxPoints);
  let k = 0;
  out[k++] = 0;
  const interior = n - 2;
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * interior) / buckets);
    const end = 1 + Math.floor(((b + 1) * interior) / buckets);
    if (end <= start) continue;
    let minI = start;
    let maxI = start;
    for (let i = start + 1; i < end; i++) {
      const v = values[i];
      // NaN compares false both ways, so it is never chosen over a real value.
      if (v < values[minI] || Number.isNaN(values[minI])) minI = i;
      if (v > values[maxI] || Number.isNaN(values[maxI])) maxI = i;
    }
    if (minI === maxI) out[k++] = minI;
    else if (minI < maxI) {
      out[k++] = minI;
      out[k++] = maxI;
    } else {
      out[k++] = maxI;
      out[k++] = minI;
    }
  }
  out[k++] = n - 1;
  return out.slice(0, k);
}

/** Every `stride`-th index plus the last, at most `maxPoints` of them: for smooth series. */
export function strideIndices(length: number, maxPoints: number): Uint32Array {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`maxPoints must be an integer >= 2, got ${maxPoints}`);
  }
  if (length <= maxPoints) return allIndices(length);
  const stride = Math.ceil((length - 1) / (maxPoints - 1));
  const out: number[] = [];
  for (let i = 0; i < length - 1; i += stride) out.push(i);
  out.push(length - 1);
  return Uint32Array.from(out);
}

function allIndices(length: number): Uint32Array {
  const all = new Uint32Array(length);
  for (let i = 0; i < length; i++) all[i] = i;
  return all;
}

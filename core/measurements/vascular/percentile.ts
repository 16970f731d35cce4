/** Percentiles as the disc search reads them: the value at rank ⌊q (n − 1)⌋ of the sorted values. */

function rank(count: number, q: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor(q * (count - 1))));
}

/**
 * The value a numeric sort would put at that rank, found by selection instead of sorting
 * (the search reads medians of tens of thousands of grid cells). Sorting orders −0 before
 * +0 and NaN last; selection sees neither difference, so a zero takes the sign a sort would
 * give it, and values with NaN among them are sorted.
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (!values.length) return 0;
  const work = Float64Array.from(values);
  const k = rank(work.length, q);
  if (work.some(Number.isNaN)) return work.sort()[k]!;
  const value = selectRank(work, k);
  return value === 0 ? signedZeroAt(values, k) : value;
}

/** Hoare selection: the k-th smallest value; reorders `a`. */
function selectRank(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = medianOfThree(a[lo]!, a[(lo + hi) >> 1]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function medianOfThree(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

/** −0 or +0 at rank k, as a sort places them: negatives, then −0, then +0. */
function signedZeroAt(values: ArrayLike<number>, k: number): number {
  let below = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! < 0 || Object.is(values[i], -0)) below++;
  return k < below ? -0 : 0;
}

/**
 * The same percentile of 8-bit values from their histogram (counts per value 0..255): the
 * value at that rank of the sorted values, without sorting the hundreds of thousands of them.
 */
export function histogramPercentile(histogram: ArrayLike<number>, q: number): number {
  let count = 0;
  for (let v = 0; v < histogram.length; v++) count += histogram[v]!;
  if (!count) return 0;
  const target = rank(count, q);
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v]!;
    if (seen > target) return v;
  }
  return histogram.length - 1;
}

/**
 * The disc search's coarse grid of candidate centres, and the two things the search reads
 * from the ranking of its scores: the leading few and the best score far from the winner.
 * Both are read off the scores directly, as a stable sort by descending score would give
 * them, without building and sorting some fifteen thousand candidates.
 */

export interface SearchGrid {
  /** The columns' x and the rows' y; candidate (row, column) is at index row × columns + column. */
  xs: Float64Array;
  ys: Float64Array;
}

/**
 * Candidates every `cell` px from (minX, minY) − margin to (maxX, maxY) + margin, stepped by
 * repeated addition (the coordinates depend on it).
 */
export function searchGrid(
  box: { minX: number; maxX: number; minY: number; maxY: number },
  cell: number,
  margin: number,
): SearchGrid {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let x = box.minX - margin; x <= box.maxX + margin; x += cell) xs.push(x);
  for (let y = box.minY - margin; y <= box.maxY + margin; y += cell) ys.push(y);
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys) };
}

/** Indices of the `count` highest scores, highest first, ties in grid order. */
export function leadingIndices(scores: Float64Array, count: number): number[] {
  const leaders: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (leaders.length === count && !(score > scores[leaders[count - 1]!]!)) continue;
    // After every leader with an equal or higher score: an earlier candidate wins a tie.
    let at = leaders.length;
    while (at > 0 && scores[leaders[at - 1]!]! < score) at--;
    leaders.splice(at, 0, i);
    if (leaders.length > count) leaders.pop();
  }
  return leaders;
}

/** The highest score among candidates at least `apart` from (x, y); undefined when none is. */
export function bestScoreApart(
  grid: SearchGrid,
  scores: Float64Array,
  x: number,
  y: number,
  apart: number,
): number | undefined {
  let best: number | undefined;
  const columns = grid.xs.length;
  for (let i = 0; i < scores.length; i++) {
    const cx = grid.xs[i % columns]!;
    const cy = grid.ys[(i - (i % columns)) / columns]!;
    if (Math.hypot(cx - x, cy - y) >= apart && (best === undefined || scores[i]! > best))
      best = scores[i];
  }
  return best;
}

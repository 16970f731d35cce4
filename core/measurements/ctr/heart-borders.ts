/**
 * The heart's right and left borders on a frontal chest film, traced row by row between
 * the hila and the diaphragm as the edge where the dense cardiac shadow, contiguous with
 * the mediastinal midline, drops into aerated lung.
 */
import { downsample, gaussianBlur, scaleFor, type Grid } from './grid.ts';
import type { LungFields, Point } from './lung-fields.ts';

export type Side = 'right' | 'left';

export type RowStatus =
  | 'ok'
  | 'low-contrast'
  | 'no-aerated-lung-lateral'
  | 'crosses-aerated-lung'
  | 'discontinuous'
  | 'lung-base';

export interface SideTrace {
  /** Patient side: the right heart border is on the image left of a PA film. */
  side: Side;
  rows: { y: number; x: number; status: RowStatus; contrast: number }[];
  /** The most lateral border point (robust), native pixels; undefined when none. */
  extreme?: Point;
}

export interface HeartTrace {
  grid: { width: number; height: number; scale: number };
  /** The image rows searched, on either side (below the hila, above the diaphragm). */
  bandTop: number;
  bandBottom: number;
  right: SideTrace;
  left: SideTrace;
  /** The aerated-lung estimate on the grid (1 = dark pixel inside a lung field), for checks and pictures. */
  aerated: Uint8Array;
  /** Whether a border point (native pixels) lies in aerated lung: its outermost heart pixel on the grid estimate. */
  inAeratedLung(p: Point, side: Side): boolean;
}

export interface TraceOptions {
  /** Share of the lung height from the apex left out as hila and great vessels, per side of the heart. */
  hilumFraction: { right: number; left: number };
}

/** Aerated lung: darker than this share of the way from the lung's dark level up to the mediastinum. */
const AERATED_CUT = 0.3;

/** Rows within this share of the lung height above the diaphragm are the cardiophrenic region, not searched. */
const BASE_MARGIN = 0.04;

/** Half-window, as a share of the lung height, of the running median the widest point is read from. */
const SMOOTH_ROWS = 0.04;

/** Where the diaphragm's height is read: this share of the way in from the field's outer edge to the midline. */
const FLOOR_AT = 0.2;

/** Outward slope (px per row) of the right border path that means it has turned along the diaphragm. */
const RIGHT_TURN = 1;

/** A field whose floor under the heart lies within this share of the lung height of its lateral floor is drawn behind the heart. */
const BEHIND_HEART_REACH = 0.12;

/** The border arc: Tukey scale, and the distance off the arc beyond which a row is not on it (shares of the thorax). */
const ARC_SCALE = 0.04;
const ARC_TOLERANCE = 0.02;

export const DEFAULT_TRACE: TraceOptions = { hilumFraction: { right: 0.55, left: 0.45 } };

function percentile(values: number[], q: number): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/**
 * Least-squares quadratic x(y) with Tukey biweights (scale c), by iterative reweighting;
 * undefined with fewer than 6 rows or a degenerate system.
 */
function robustQuadratic(
  rows: { x: number; y: number }[],
  c: number,
): ((y: number) => number) | undefined {
  if (rows.length < 6) return undefined;
  const y0 = rows.reduce((a, r) => a + r.y, 0) / rows.length;
  const span = Math.max(1, Math.max(...rows.map((r) => Math.abs(r.y - y0))));
  let weights = rows.map(() => 1);
  let coef: [number, number, number] | undefined;
  for (let iteration = 0; iteration < 8; iteration++) {
    // Normal equations for x = a + b t + q t², t = (y - y0) / span.
    const m = [0, 0, 0, 0, 0];
    const v = [0, 0, 0];
    rows.forEach((r, i) => {
      const t = (r.y - y0) / span;
      const w = weights[i]!;
      let p = w;
      for (let k = 0; k < 5; k++) {
        m[k]! += p;
        if (k < 3) v[k]! += p * r.x;
        p *= t;
      }
    });
    const a = [
      [m[0]!, m[1]!, m[2]!],
      [m[1]!, m[2]!, m[3]!],
      [m[2]!, m[3]!, m[4]!],
    ];
    const det = (q: number[][]) =>
      q[0]![0]! * (q[1]![1]! * q[2]![2]! - q[1]![2]! * q[2]![1]!) -
      q[0]![1]! * (q[1]![0]! * q[2]![2]! - q[1]![2]! * q[2]![0]!) +
      q[0]![2]! * (q[1]![0]! * q[2]![1]! - q[1]![1]! * q[2]![0]!);
    const d = det(a);
    if (!Number.isFinite(d) || Math.abs(d) < 1e-9) return undefined;
    const solve = (col: number) =>
      det(a.map((row, i) => row.map((x, j) => (j === col ? v[i]! : x)))) / d;
    coef = [solve(0), solve(1), solve(2)];
    const [ca, cb, cq] = coef;
    weights = rows.map((r) => {
      const t = (r.y - y0) / span;
      const u = (r.x - (ca + cb * t + cq * t * t)) / c;
      return Math.abs(u) >= 1 ? 0 : (1 - u * u) ** 2;
    });
    if (weights.filter((w) => w > 0).length < 6) return undefined;
  }
  const [ca, cb, cq] = coef!;
  return (y: number) => {
    const t = (y - y0) / span;
    return ca + cb * t + cq * t * t;
  };
}

export function traceHeart(
  fields: LungFields,
  luma: Uint8Array,
  options: TraceOptions = DEFAULT_TRACE,
): HeartTrace {
  const { width, height } = fields;
  const scale = scaleFor(width, height);
  const grid: Grid = downsample(luma, width, height, scale);
  const gw = grid.width;
  const gh = grid.height;
  const tw = fields.thoracicWidthPx / scale; // thoracic width in grid pixels
  const p = gaussianBlur(grid.values, gw, gh, Math.max(0.8, tw / 250));

  // Each field on the grid (a block belongs to a field when at least half of it does). `right`
  // is the patient's right: the image-left field of a PA film.
  const leftInd = new Uint8Array(width * height);
  const rightInd = new Uint8Array(width * height);
  for (let i = 0; i < leftInd.length; i++) {
    leftInd[i] = fields.labels[i] === fields.imageLeft.label ? 1 : 0;
    rightInd[i] = fields.labels[i] === fields.imageRight.label ? 1 : 0;
  }
  const leftFrac = downsample(leftInd, width, height, scale).values;
  const rightFrac = downsample(rightInd, width, height, scale).values;
  const inField = (side: Side, i: number) =>
    (side === 'right' ? leftFrac[i]! : rightFrac[i]!) >= 0.5;

  const toGrid = (x: number) => (x + 0.5) / scale - 0.5;
  const toNative = (gx: number) => (gx + 0.5) * scale - 0.5;
  const mid = toGrid(fields.midline);
  const top = Math.floor(fields.top / scale);
  const bottom = Math.ceil(fields.bottom / scale);
  const lungHeight = bottom - top;
  const bandTop = Math.round(
    top + Math.min(options.hilumFraction.right, options.hilumFraction.left) * lungHeight,
  );
  const bandBottom = Math.min(gh - 1, bottom);

  // Grey levels per block of rows: the mediastinum at the midline, and aerated lung (a low
  // quantile of the lung fields). Aerated lung: field pixels darker than AERATED_CUT of the
  // way from the one to the other.
  const half = Math.max(2, Math.round(0.04 * lungHeight));
  const midHalf = Math.max(1, Math.round(0.03 * tw));
  // (Both fields give the lung's level, so an opacified hemithorax is not called aerated
  // against its own grey; the range has a floor so a flat film does not make noise an edge.)
  const sorted = Float32Array.from(p).sort();
  const minRange = Math.max(
    1,
    0.1 *
      (sorted[Math.floor(0.98 * (sorted.length - 1))]! -
        sorted[Math.floor(0.02 * (sorted.length - 1))]!),
  );
  // Running histograms (half-grey-level bins) of lung and midline pixels per row, summed over
  // the block of rows around each row: the quantiles without sorting every block.
  const BINS = 512;
  const bin = (v: number) => Math.min(BINS - 1, Math.max(0, Math.floor(v * 2)));
  const lungCum = new Int32Array((gh + 1) * BINS);
  const midCum = new Int32Array((gh + 1) * BINS);
  const midFrom = Math.max(0, Math.round(mid) - midHalf);
  const midTo = Math.min(gw - 1, Math.round(mid) + midHalf);
  for (let y = 0; y < gh; y++) {
    lungCum.copyWithin((y + 1) * BINS, y * BINS, (y + 1) * BINS);
    midCum.copyWithin((y + 1) * BINS, y * BINS, (y + 1) * BINS);
    for (let x = 0; x < gw; x++)
      if (inField('right', y * gw + x) || inField('left', y * gw + x))
        lungCum[(y + 1) * BINS + bin(p[y * gw + x]!)]!++;
    for (let x = midFrom; x <= midTo; x++) midCum[(y + 1) * BINS + bin(p[y * gw + x]!)]!++;
  }
  const quantile = (cum: Int32Array, y0: number, y1: number, q: number) => {
    let total = 0;
    for (let b = 0; b < BINS; b++) total += cum[(y1 + 1) * BINS + b]! - cum[y0 * BINS + b]!;
    const target = Math.round(q * (total - 1));
    for (let b = 0, seen = 0; b < BINS; b++) {
      seen += cum[(y1 + 1) * BINS + b]! - cum[y0 * BINS + b]!;
      if (seen > target) return (b + 0.5) / 2;
    }
    return Number.NaN;
  };
  const levels = (y: number) => {
    const y0 = Math.max(0, y - half);
    const y1 = Math.min(gh - 1, y + half);
    const l = quantile(lungCum, y0, y1, 0.1);
    const m = quantile(midCum, y0, y1, 0.5);
    return { lung: l, mediastinum: m, range: Math.max(minRange, m - l) };
  };
  const rowLevels = new Map<number, ReturnType<typeof levels>>();
  const aerated = new Uint8Array(gw * gh);
  for (let y = 0; y < gh; y++) {
    let any = false;
    for (let x = 0; x < gw && !any; x++)
      any = inField('right', y * gw + x) || inField('left', y * gw + x);
    if (!any) continue;
    const lv = levels(y);
    rowLevels.set(y, lv);
    const cut = lv.lung + AERATED_CUT * lv.range;
    for (let x = 0; x < gw; x++)
      if ((inField('right', y * gw + x) || inField('left', y * gw + x)) && p[y * gw + x]! < cut)
        aerated[y * gw + x] = 1;
  }

  // The lowest row of each field per column: the diaphragm under aerated lung.
  const fieldBottom = { right: new Int32Array(gw).fill(-1), left: new Int32Array(gw).fill(-1) };
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      if (inField('right', y * gw + x)) fieldBottom.right[x] = y;
      if (inField('left', y * gw + x)) fieldBottom.left[x] = y;
    }
  }
  const fieldMinX = { right: gw, left: gw };
  const fieldMaxX = { right: -1, left: -1 };
  for (const side of ['right', 'left'] as Side[]) {
    for (let x = 0; x < gw; x++) {
      if (fieldBottom[side][x]! < 0) continue;
      fieldMinX[side] = Math.min(fieldMinX[side], x);
      fieldMaxX[side] = Math.max(fieldMaxX[side], x);
    }
  }
  const rowAerated = new Int32Array(gh * (gw + 1));
  for (let y = 0; y < gh; y++)
    for (let x = 0; x < gw; x++)
      rowAerated[y * (gw + 1) + x + 1] = rowAerated[y * (gw + 1) + x]! + aerated[y * gw + x]!;
  const k = Math.max(1, Math.round(0.012 * tw));
  const at = (x: number, y: number) =>
    p[Math.min(gh - 1, Math.max(0, y)) * gw + Math.min(gw - 1, Math.max(0, x))]!;

  // The hard rule's test, for a border at grid column `gx` (fractional) on grid row `gy`:
  // the point lies in aerated lung when most of the first few pixels on its heart side are
  // aerated (a true border has heart just inside it), or when a run of aerated lung separates
  // it from the midline (the shadow it bounds is not contiguous with the mediastinum).
  const run = Math.max(2, Math.round(0.006 * tw));
  const liesInAeratedLung = (gx: number, gy: number, side: Side): boolean => {
    const out = side === 'right' ? -1 : 1;
    const first = side === 'right' ? Math.ceil(gx - 1e-6) : Math.floor(gx + 1e-6);
    const isAerated = (x: number) => x >= 0 && x < gw && aerated[gy * gw + x] === 1;
    let inside = 0;
    for (let j = 0; j < k; j++) if (isAerated(first - out * j)) inside++;
    if (inside * 2 > k) return true;
    let current = 0;
    for (let x = first - out * k; side === 'right' ? x <= mid : x >= mid; x -= out) {
      current = isAerated(x) ? current + 1 : 0;
      if (current >= run) return true;
    }
    return false;
  };

  const traceSide = (side: Side): SideTrace => {
    const out = side === 'right' ? -1 : 1; // direction from the heart into the lung
    // Search window per row: from the midline out to near the field's outer edge.
    const windows: { y: number; lo: number; hi: number }[] = [];
    // The lung base. Where the mask draws the lung behind the heart, the field's floor under
    // the heart (the retrocardiac columns) is the diaphragm the heart rests on. Where it
    // leaves the heart out, a column under the heart ends at the heart's own border, so the
    // diaphragm is read under the lateral fifth of the hemithorax, where no heart reaches.
    // Border rows within a margin above the floor, or below it, are not the heart.
    const bottomAt = (c: number) => (c >= 0 && c < gw ? fieldBottom[side][c]! : -1);
    const underHeart: number[] = [];
    for (let j = 0.05; j <= 0.2; j += 0.01) {
      const b = bottomAt(Math.round(mid + out * j * tw));
      if (b >= 0) underHeart.push(b);
    }
    const lateral: number[] = [];
    const outerEdge = side === 'right' ? fieldMinX.right : fieldMaxX.left;
    for (let j = FLOOR_AT - 0.05; j <= FLOOR_AT + 0.05; j += 0.01) {
      const b = bottomAt(Math.round(outerEdge + (mid - outerEdge) * j));
      if (b >= 0) lateral.push(b);
    }
    const lateralFloor = lateral.length ? percentile(lateral, 0.5) : bottom;
    // Behind the heart only if the retrocardiac lung reaches down to about the diaphragm's level.
    const medialFloor = underHeart.length >= 8 ? percentile(underHeart, 0.5) : -1;
    const behindHeart = medialFloor >= lateralFloor - BEHIND_HEART_REACH * lungHeight;
    const floor = behindHeart ? Math.min(medialFloor, lateralFloor) : lateralFloor;
    const baseMargin = Math.max(2, Math.round(BASE_MARGIN * lungHeight));
    const sideTop = Math.round(top + options.hilumFraction[side] * lungHeight);
    // Rows are searched down to the lung base only: below it the path would be drawn to the
    // diaphragm's edges and lose the heart's lower border.
    const sideBottom = Math.min(bandBottom, Math.floor(floor - baseMargin));
    for (let y = sideTop; y <= sideBottom; y++) {
      let outer = -1;
      for (let x = 0; x < gw; x++) {
        if (!inField(side, y * gw + x)) continue;
        if (side === 'right') {
          outer = x;
          break;
        }
        outer = x;
      }
      if (outer < 0) continue;
      const margin = Math.round(0.03 * tw);
      const inner = Math.round(mid + out * 0.02 * tw);
      const lo = side === 'right' ? outer + margin : inner;
      const hi = side === 'right' ? inner : outer - margin;
      if (hi - lo >= 2) windows.push({ y, lo, hi });
    }
    if (!windows.length) return { side, rows: [] };

    // Edge strength: the drop from heart to lung across the border, weighted by how vertical
    // the edge is (a lung base or a rib is a horizontal edge), counted only with aerated lung
    // close lateral to it and not medial to it: the spine's edge (heart lateral to it) and a
    // rib or vessel inside the lung (lung medial to it) score nothing.
    const aeratedShare = (y: number, from: number, to: number) => {
      const a = Math.max(0, Math.min(from, to));
      const b = Math.min(gw - 1, Math.max(from, to));
      if (b < a) return 0;
      return (
        (rowAerated[y * (gw + 1) + b + 1]! - rowAerated[y * (gw + 1) + a]!) /
        (Math.abs(to - from) + 1)
      );
    };
    // Distance from each pixel out to the nearest aerated lung pixel lateral to it.
    const toLung = new Float32Array(gw * gh).fill(Infinity);
    for (let y = 0; y < gh; y++) {
      let last = -Infinity;
      for (let j = 0; j < gw; j++) {
        const x = side === 'right' ? j : gw - 1 - j;
        toLung[y * gw + x] = Math.abs(x - last);
        if (aerated[y * gw + x]) last = x;
      }
    }
    const nearLung = (x: number, y: number) => {
      const d = toLung[y * gw + Math.min(gw - 1, Math.max(0, x))]!;
      return d <= 2 * k ? 1 : d >= 6 * k ? 0 : (6 * k - d) / (4 * k);
    };
    const score = (x: number, y: number, range: number) => {
      const gx = (at(x - out * k, y) - at(x + out * k, y)) / range;
      if (gx <= 0) return 0;
      const gy = (at(x, y + k) - at(x, y - k)) / range;
      const medial = aeratedShare(y, x - out, x - out * 2 * k);
      return ((gx * gx * gx) / (gx * gx + gy * gy + 1e-6)) * nearLung(x, y) * (1 - medial);
    };
    const maxStep = Math.max(2, Math.round(0.008 * tw));
    const penalty = 0.05;
    // Dynamic programming down the rows: the best-scoring border path with a bounded slope.
    const n = windows.length;
    const best: Float64Array[] = [];
    const from: Int32Array[] = [];
    for (let r = 0; r < n; r++) {
      const { y, lo, hi } = windows[r]!;
      const range = rowLevels.get(y)?.range ?? 1;
      const cur = new Float64Array(hi - lo + 1);
      const back = new Int32Array(hi - lo + 1).fill(-1);
      for (let x = lo; x <= hi; x++) {
        let prev = 0;
        if (r > 0 && windows[r - 1]!.y === y - 1) {
          const pw = windows[r - 1]!;
          prev = -Infinity;
          for (let d = -maxStep; d <= maxStep; d++) {
            const px = x + d;
            if (px < pw.lo || px > pw.hi) continue;
            const v = best[r - 1]![px - pw.lo]! - penalty * Math.abs(d);
            if (v > prev) {
              prev = v;
              back[x - lo] = px;
            }
          }
          if (prev === -Infinity) prev = 0;
        }
        cur[x - lo] = prev + score(x, y, range);
      }
      best.push(cur);
      from.push(back);
    }
    const path = new Int32Array(n);
    let bx = 0;
    for (let i = 1; i < best[n - 1]!.length; i++) if (best[n - 1]![i]! > best[n - 1]![bx]!) bx = i;
    path[n - 1] = windows[n - 1]!.lo + bx;
    for (let r = n - 1; r > 0; r--) {
      const back = from[r]![path[r]! - windows[r]!.lo]!;
      if (back >= 0) path[r - 1] = back;
      else {
        const pw = windows[r - 1]!;
        let bi = 0;
        for (let i = 1; i < best[r - 1]!.length; i++)
          if (best[r - 1]![i]! > best[r - 1]![bi]!) bi = i;
        path[r - 1] = pw.lo + bi;
      }
    }

    // Each row's border checked against the aerated-lung estimate.
    const rows: SideTrace['rows'] = [];
    for (let r = 0; r < n; r++) {
      const y = windows[r]!.y;
      const x0 = path[r]!;
      const lv = rowLevels.get(y)!;
      let inner = 0;
      let outer = 0;
      for (let j = 1; j <= 2 * k; j++) {
        inner += at(x0 - out * j, y);
        outer += at(x0 + out * j, y);
      }
      inner /= 2 * k;
      outer /= 2 * k;
      const contrast = (inner - outer) / lv.range;
      // Sub-pixel border: where the profile crosses half-way between the two sides.
      const halfLevel = (inner + outer) / 2;
      let x = x0;
      for (let j = -k; j < k; j++) {
        const a = at(x0 + out * j, y);
        const b = at(x0 + out * (j + 1), y);
        if (a >= halfLevel && b < halfLevel) {
          x = x0 + out * (j + (a - halfLevel) / (a - b));
          break;
        }
      }
      let status: RowStatus = 'ok';
      if (liesInAeratedLung(x, y, side)) status = 'crosses-aerated-lung';
      else if (contrast < 0.2) status = 'low-contrast';
      else if (nearLung(x0, y) <= 0) status = 'no-aerated-lung-lateral';
      rows.push({ y, x, status, contrast });
    }

    // The right heart border is convex and, below its upper third, never runs outward fast:
    // where the path does (over a few rows, on the median-filtered path) it has turned at the
    // cardiophrenic angle along the diaphragm. That row and all below are the lung base. (The
    // left border runs outward to the apex; there only the diaphragm's height bounds it.)
    if (side === 'right') {
      const h = Math.max(1, Math.round(0.02 * lungHeight));
      const smooth = rows.map((_, r) =>
        percentile(
          rows.slice(Math.max(0, r - h), Math.min(n, r + h + 1)).map((o) => out * o.x),
          0.5,
        ),
      );
      for (let r = Math.floor(n / 3); r + 4 * h < n; r++) {
        if ((smooth[r + 4 * h]! - smooth[r]!) / (4 * h) > RIGHT_TURN) {
          for (let j = r; j < n; j++) rows[j]!.status = 'lung-base';
          break;
        }
      }
    }
    // Below the diaphragm the path only follows the dome into the costophrenic recess: once
    // it has reached the base (a few rows running, in the lower half), no heart lies below.
    for (let r = Math.floor(n / 2), runLength = 0; r < n; r++) {
      runLength = rows[r]!.status === 'lung-base' ? runLength + 1 : 0;
      if (runLength >= 3) {
        for (let j = r; j < n; j++) rows[j]!.status = 'lung-base';
        break;
      }
    }

    // Continuity: a row far from the median of its accepted neighbours is not the same border.
    const okRows = rows.filter((r) => r.status === 'ok');
    const reach = Math.max(3, Math.round(0.03 * lungHeight));
    for (const row of okRows) {
      const near = okRows
        .filter((o) => o !== row && Math.abs(o.y - row.y) <= reach)
        .map((o) => o.x);
      if (near.length >= 2 && Math.abs(row.x - percentile(near, 0.5)) > 0.03 * tw)
        row.status = 'discontinuous';
    }
    // The heart border below the hila is one convex arc. A robust quadratic fit x(y) over the
    // accepted rows (Tukey weights) finds it; rows far off the arc (a vessel the path strayed
    // onto, the diaphragm it ran out along) are not the heart's border.
    const arc = robustQuadratic(
      rows.filter((r) => r.status === 'ok'),
      ARC_SCALE * tw,
    );
    if (arc)
      for (const row of rows)
        if (row.status === 'ok' && Math.abs(row.x - arc(row.y)) > ARC_TOLERANCE * tw)
          row.status = 'discontinuous';

    // The widest point of a smooth border: the running median of the accepted rows (a short
    // bump, a hilar vessel over the border, does not move it), where most rows nearby agree.
    const accepted = rows.filter((r) => r.status === 'ok');
    const w = Math.max(2, Math.round(SMOOTH_ROWS * lungHeight));
    let extreme: Point | undefined;
    let widest = -Infinity;
    for (const row of accepted) {
      const near = accepted.filter((o) => Math.abs(o.y - row.y) <= w);
      if (near.length < 0.6 * (2 * w + 1)) continue;
      // The median row itself (its own x and y), so the point is one that was traced and checked.
      const pick = [...near].sort((a, b) => a.x - b.x)[(near.length - 1) >> 1]!;
      if (out * pick.x > widest) {
        widest = out * pick.x;
        extreme = { x: toNative(pick.x), y: Math.min(height - 1, Math.round(toNative(pick.y))) };
      }
    }
    return {
      side,
      rows: rows.map((r) => ({
        ...r,
        x: toNative(r.x),
        y: Math.min(height - 1, Math.round(toNative(r.y))),
      })),
      extreme,
    };
  };

  const right = traceSide('right');
  const left = traceSide('left');
  const searched = [...right.rows, ...left.rows].map((r) => r.y);
  return {
    grid: { width: gw, height: gh, scale },
    bandTop: searched.length ? Math.min(...searched) : Math.round(toNative(bandTop)),
    bandBottom: searched.length ? Math.max(...searched) : Math.round(toNative(bandTop)),
    right,
    left,
    aerated,
    inAeratedLung(pt: Point, side: Side) {
      const gy = Math.round(toGrid(pt.y));
      return gy < 0 || gy >= gh || liesInAeratedLung(toGrid(pt.x), gy, side);
    },
  };
}

/**
 * Traces vessels outward from the optic disc through branch points, so that each measured
 * vessel is a trunk from the disc margin outward (as ROPtool and RISA trace them) rather
 * than the short piece between two branch points the skeleton splits it into: a tortuous
 * vessel cut into short pieces looks straight piece by piece.
 *
 * Starts are the skeleton segments that come within START_DD disc diameters of the disc
 * centre, oriented outward. At a segment's outer end the trace continues into the segment
 * whose near end lies across the branch point (or across a small gap in the segmentation,
 * or across a vessel it crosses) and that carries on in the same direction with a similar
 * width: the trunk, not a thinner side branch. It stops at the outer radius, at the edge of
 * the field of view, or where nothing continues.
 */
import type { BinaryMask } from '../binary-mask.ts';
import type { VesselSegment } from './vessel-segments.ts';

/** Segments reaching this close to the disc centre (in DD) start a trace. */
const START_DD = 1.25;
/**
 * Largest turn at a branch point to count as the same vessel continuing (degrees): wide,
 * because a strongly meandering vessel turns fast (a crest of a plus-disease vessel turns
 * 60–80° over a few pixels). A candidate within EASY_TURN_DEG is always preferred; among
 * them the straightest and most similar in width wins, so the trunk is kept over its side
 * branches.
 */
const MAX_TURN_DEG = 80;
/** A continuation turning less than this is preferred to any that turns more. */
const EASY_TURN_DEG = 45;
/** A continuation at least this share of the trace's width; thinner ones are side branches. */
const MIN_WIDTH_SHARE = 0.7;
/**
 * A trace must keep leaving the disc: it stops where, over the last disc diameter of its
 * length, it gained less than this (in DD) in distance from the disc centre, or where it fell
 * back by more than this. A tortuous vessel still advances (TI 1.5 gains ≈ 0.67 DD per DD);
 * an arcade turning round the macula, or a wrong turn at a branch point, does not.
 */
const MIN_OUTWARD_GAIN_DD = 0.3;

export interface TracedVessel {
  /** Pixel indices (y * width + x) in order from the disc outward; gaps between segments are bridged by the ordered list. */
  pixels: number[];
  /** Mean vessel width (px) along the trace (2 × distance to background − 1 at the centre line). */
  meanWidthPx: number;
}

interface End {
  segment: number;
  atStart: boolean;
  x: number;
  y: number;
  /** Unit direction pointing out of the segment at this end. */
  dx: number;
  dy: number;
  width: number;
}

function xy(p: number, width: number): [number, number] {
  const x = p % width;
  return [x, (p - x) / width];
}

function widthAt(distance: Float32Array, p: number): number {
  return Math.max(1, 2 * distance[p]! - 1);
}

/**
 * Direction leaving the chain at one end, over its last `reach` pixels but leaving out the
 * last few: thinning bends a centre line toward a branch as it reaches the branch point.
 */
function endDirection(
  pixels: number[],
  atStart: boolean,
  width: number,
  reach: number,
): [number, number] {
  const n = pixels.length;
  const skip = Math.min(2, Math.floor((n - 1) / 4));
  const k = Math.min(reach, n - 1);
  const [ax, ay] = xy(atStart ? pixels[k]! : pixels[n - 1 - k]!, width);
  const [bx, by] = xy(atStart ? pixels[skip]! : pixels[n - 1 - skip]!, width);
  const len = Math.hypot(bx - ax, by - ay) || 1;
  return [(bx - ax) / len, (by - ay) / len];
}

/** A segment's typical width: the median along its middle (widths at branch points are distorted). */
function segmentWidth(pixels: number[], distance: Float32Array): number {
  const n = pixels.length;
  const from = n > 8 ? Math.floor(n * 0.2) : 0;
  const to = n > 8 ? Math.ceil(n * 0.8) : n;
  // Widths are at least 1, never NaN: a typed array's native sort orders them as a numeric sort does.
  const widths = new Float64Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) widths[i - from] = widthAt(distance, pixels[i]!);
  widths.sort();
  return widths[Math.floor(widths.length / 2)] ?? 1;
}

function meanWidth(pixels: number[], distance: Float32Array, from: number, to: number): number {
  let s = 0;
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(pixels.length, to); i++) {
    s += widthAt(distance, pixels[i]!);
    n++;
  }
  return n ? s / n : 1;
}

export interface TraceOptions {
  disc: { x: number; y: number; diameterPx: number };
  /** Trace outward to this radius from the disc centre (px). */
  outerRadiusPx: number;
  field: BinaryMask;
}

export function traceVesselsFromDisc(
  segments: VesselSegment[],
  distance: Float32Array,
  width: number,
  options: TraceOptions,
): TracedVessel[] {
  const { disc, outerRadiusPx, field } = options;
  const dd = disc.diameterPx;
  const radius = (p: number) => {
    const x = p % width;
    return Math.hypot(x - disc.x, (p - x) / width - disc.y);
  };
  const usable = segments.filter((s) => s.pixels.length >= 3);
  const reach = Math.max(4, Math.round(dd / 10));

  // Segment ends, indexed on a coarse grid for neighbour look-ups.
  const ends: End[] = [];
  usable.forEach((s, i) => {
    for (const atStart of [true, false]) {
      const p = atStart ? s.pixels[0]! : s.pixels[s.pixels.length - 1]!;
      const [x, y] = xy(p, width);
      const [dx, dy] = endDirection(s.pixels, atStart, width, reach);
      ends.push({ segment: i, atStart, x, y, dx, dy, width: segmentWidth(s.pixels, distance) });
    }
  });
  const cell = Math.max(8, Math.round(dd / 4));
  const buckets = new Map<number, End[]>();
  const key = (cx: number, cy: number) => cy * 100003 + cx;
  for (const e of ends) {
    const k = key(Math.floor(e.x / cell), Math.floor(e.y / cell));
    const list = buckets.get(k);
    if (list) list.push(e);
    else buckets.set(k, [e]);
  }
  const nearbyEnds = (x: number, y: number, r: number): End[] => {
    const out: End[] = [];
    for (let cy = Math.floor((y - r) / cell); cy <= Math.floor((y + r) / cell); cy++) {
      for (let cx = Math.floor((x - r) / cell); cx <= Math.floor((x + r) / cell); cx++) {
        for (const e of buckets.get(key(cx, cy)) ?? [])
          if (Math.hypot(e.x - x, e.y - y) <= r) out.push(e);
      }
    }
    return out;
  };
  const cosMaxTurn = Math.cos((MAX_TURN_DEG * Math.PI) / 180);
  // The camera's rim is often segmented as vessel: a trace stops a little inside the field.
  const rim = Math.max(3, Math.round(dd / 12));
  const fieldAt = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < field.height && field.data[y * width + x] !== 0;
  const insideField = (p: number) => {
    const x = p % width;
    const y = (p - x) / width;
    return fieldAt(x + rim, y) && fieldAt(x - rim, y) && fieldAt(x, y + rim) && fieldAt(x, y - rim);
  };

  /** The segment that continues the trace from `from` (the current segment's outer end), if any. */
  const continuation = (from: End, used: Set<number>): End | undefined => {
    // Through a branch point: ends a few pixels apart. Across a gap or a crossing vessel:
    // farther, but then straight ahead.
    const nearGap = 3 + 0.75 * from.width;
    const farGap = Math.max(8, 3 * from.width, dd / 4);
    let best: End | undefined;
    let bestCost = Infinity;
    let bestEasy = false;
    for (const e of nearbyEnds(from.x, from.y, farGap)) {
      if (used.has(e.segment)) continue;
      const gx = e.x - from.x;
      const gy = e.y - from.y;
      const gap = Math.hypot(gx, gy);
      // The candidate continues in the direction opposite to its end's outward direction.
      const cx = -e.dx;
      const cy = -e.dy;
      const turn = from.dx * cx + from.dy * cy;
      if (turn < cosMaxTurn) continue;
      if (gap > nearGap && (gx * from.dx + gy * from.dy) / gap < Math.cos(Math.PI / 6)) continue;
      const share = e.width / from.width;
      if (share < MIN_WIDTH_SHARE) continue;
      const angle = Math.acos(Math.min(1, turn));
      const easy = angle <= (EASY_TURN_DEG * Math.PI) / 180;
      const cost = angle + 1.5 * Math.abs(Math.log(share)) + gap / (4 * farGap);
      if ((easy && !bestEasy) || (easy === bestEasy && cost < bestCost)) {
        bestCost = cost;
        best = e;
        bestEasy = easy;
      }
    }
    return best;
  };

  const traces: TracedVessel[] = [];
  for (let i = 0; i < usable.length; i++) {
    const px = usable[i]!.pixels;
    let inner = 0;
    let innerR = Infinity;
    for (let k = 0; k < px.length; k++) {
      const r = radius(px[k]!);
      if (r < innerR) {
        innerR = r;
        inner = k;
      }
    }
    if (innerR > START_DD * dd) continue;
    // Both halves from the innermost pixel outward, when they lead away from the disc.
    for (const forward of [true, false]) {
      const half = forward ? px.slice(inner) : px.slice(0, inner + 1).reverse();
      if (half.length < 3 || radius(half[half.length - 1]!) <= innerR + 0.25 * dd) continue;
      const used = new Set<number>([i]);
      const path = [...half];
      let current: End = {
        segment: i,
        atStart: !forward,
        ...(() => {
          const [x, y] = xy(half[half.length - 1]!, width);
          return { x, y };
        })(),
        ...(() => {
          const [dx, dy] = endDirection(half, false, width, reach);
          return { dx, dy };
        })(),
        width: segmentWidth(half, distance),
      };
      while (radius(path[path.length - 1]!) < outerRadiusPx) {
        const next = continuation(current, used);
        if (!next) break;
        used.add(next.segment);
        const seg = usable[next.segment]!.pixels;
        const ordered = next.atStart ? seg : [...seg].reverse();
        path.push(...ordered);
        const outer = next.atStart ? ends[2 * next.segment + 1]! : ends[2 * next.segment]!;
        // Widths are compared with the trace so far, not with one short piece of it.
        current = { ...outer, width: segmentWidth(path, distance) };
      }
      // Cut at the outer radius, at the first pixel outside the field of view, and where the
      // trace stops leaving the disc.
      let stop = path.length;
      const arc: number[] = [0];
      let maxR = 0;
      let back = 0;
      for (let k = 0; k < path.length; k++) {
        const r = radius(path[k]!);
        if (k > 0) {
          const [ax, ay] = xy(path[k - 1]!, width);
          const [bx, by] = xy(path[k]!, width);
          arc.push(arc[k - 1]! + Math.hypot(bx - ax, by - ay));
        }
        if (r > outerRadiusPx || !insideField(path[k]!) || r < maxR - MIN_OUTWARD_GAIN_DD * dd) {
          stop = k;
          break;
        }
        maxR = Math.max(maxR, r);
        while (arc[k]! - arc[back]! > dd) back++;
        if (
          r > START_DD * dd &&
          arc[k]! - arc[back]! > 0.9 * dd &&
          r - radius(path[back]!) < MIN_OUTWARD_GAIN_DD * dd
        ) {
          stop = back;
          break;
        }
      }
      const kept = path.slice(0, stop);
      if (kept.length < 3) continue;
      traces.push({ pixels: kept, meanWidthPx: meanWidth(kept, distance, 0, kept.length) });
    }
  }
  return traces;
}

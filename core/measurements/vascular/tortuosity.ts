/**
 * Shape measures of one vessel centre line. The pixel chain is resampled every `step`
 * pixels first: a chain of 8-connected pixels zigzags on any slanted line, and measured
 * raw it would make every straight vessel look tortuous.
 *
 * - Tortuosity index (TI): arc length / chord length, as ROPtool and RISA define it
 *   (1 for a straight vessel).
 * - Integrated curvature: total absolute turning angle per unit length (radians per pixel;
 *   the caller scales it to radians per disc diameter).
 */
export interface CentreLineShape {
  arcLength: number;
  chordLength: number;
  tortuosityIndex: number;
  curvaturePerPixel: number;
}

export function resample(
  points: ReadonlyArray<{ x: number; y: number }>,
  step: number,
): { x: number; y: number }[] {
  if (points.length < 2) return [...points];
  const out = [points[0]!];
  let travelled = 0;
  for (let i = 1; i < points.length; i++) {
    travelled += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
    if (travelled >= step) {
      // Each kept point is the mean of the pixels since the last, which smooths the zigzag.
      const from = out.length === 1 ? 1 : i - Math.max(1, Math.round(step)) + 1;
      let sx = 0;
      let sy = 0;
      let n = 0;
      for (let j = Math.max(1, from); j <= i; j++) {
        sx += points[j]!.x;
        sy += points[j]!.y;
        n++;
      }
      out.push({ x: sx / n, y: sy / n });
      travelled = 0;
    }
  }
  const last = points[points.length - 1]!;
  const tail = out[out.length - 1]!;
  if (tail.x !== last.x || tail.y !== last.y) out.push(last);
  return out;
}

export function centreLineShape(
  points: ReadonlyArray<{ x: number; y: number }>,
  step: number,
): CentreLineShape {
  const path = resample(points, step);
  let arc = 0;
  let turning = 0;
  for (let i = 1; i < path.length; i++) {
    const dx = path[i]!.x - path[i - 1]!.x;
    const dy = path[i]!.y - path[i - 1]!.y;
    arc += Math.hypot(dx, dy);
    if (i >= 2) {
      const a0 = Math.atan2(path[i - 1]!.y - path[i - 2]!.y, path[i - 1]!.x - path[i - 2]!.x);
      let d = Math.atan2(dy, dx) - a0;
      while (d > Math.PI) d -= 2 * Math.PI;
      while (d < -Math.PI) d += 2 * Math.PI;
      turning += Math.abs(d);
    }
  }
  const first = path[0]!;
  const last = path[path.length - 1]!;
  const chord = Math.hypot(last.x - first.x, last.y - first.y);
  return {
    arcLength: arc,
    chordLength: chord,
    tortuosityIndex: chord > 0 ? arc / chord : Infinity,
    curvaturePerPixel: arc > 0 ? turning / arc : 0,
  };
}

/**
 * A saved measurement's numbers, computed from its points (image pixels) and the image's own
 * pixel spacing: the one place a reading becomes a number, used by the store when saving, by
 * the page while the reader places points, and so by everything signed and exported.
 * Undefined when the points do not yet (or cannot) make the measurement.
 */
import { POINTS_PER_KIND, type AnnotationKind } from './annotation-kinds.ts';
import type { FrameSpacing, ImagePoint, MeasuredValue } from './units.ts';

const pixelDistance = (a: ImagePoint, b: ImagePoint) => Math.hypot(b.x - a.x, b.y - a.y);

/**
 * A distance with the scale the image allows: mm where it has a spacing (row and column
 * spacing may differ), else pixels. Only Pixel Spacing is at the patient: detector or
 * digitiser spacing gives millimetres that are not corrected for magnification.
 */
function scaledDistance(
  quantity: MeasuredValue['quantity'],
  dx: number,
  dy: number,
  spacing: FrameSpacing | undefined,
): MeasuredValue {
  if (!spacing)
    return { quantity, value: Math.hypot(dx, dy), unit: 'px', calibration: 'uncalibrated' };
  return {
    quantity,
    value: Math.hypot(dx * spacing.column, dy * spacing.row),
    unit: 'mm',
    calibration: spacing.source === 'PixelSpacing' ? 'calibrated' : 'uncalibrated',
  };
}

/** The angle at the middle point, 0–180°, in the patient's proportions where pixels are not square. */
export function angleDegrees(
  a: ImagePoint,
  vertex: ImagePoint,
  c: ImagePoint,
  spacing?: FrameSpacing,
): number | undefined {
  const [sx, sy] = spacing ? [spacing.column, spacing.row] : [1, 1];
  const u = { x: (a.x - vertex.x) * sx, y: (a.y - vertex.y) * sy };
  const v = { x: (c.x - vertex.x) * sx, y: (c.y - vertex.y) * sy };
  const lengths = Math.hypot(u.x, u.y) * Math.hypot(v.x, v.y);
  if (!(lengths > 0)) return undefined; // an arm of no length has no direction
  const cos = (u.x * v.x + u.y * v.y) / lengths;
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

/** ICROP3: zone I is the circle centred on the optic disc with twice the disc–fovea distance as radius. */
export function zoneOneRadius(disc: ImagePoint, fovea: ImagePoint): number {
  return 2 * pixelDistance(disc, fovea);
}

type Measure = (
  points: readonly ImagePoint[],
  spacing?: FrameSpacing,
) => MeasuredValue[] | undefined;

/*
 * The disc ruler and zone I stay in pixels even where a fundus image has a spacing: ROP
 * distances are given in disc diameters (ICROP3), and a fundus camera's scale at the retina
 * depends on the eye's own optics, which the image does not record.
 */
const MEASURES: Record<AnnotationKind, Measure> = {
  length: ([a, b], spacing) => [scaledDistance('length', b!.x - a!.x, b!.y - a!.y, spacing)],
  angle: ([a, vertex, c], spacing) => {
    const degrees = angleDegrees(a!, vertex!, c!, spacing);
    if (degrees === undefined) return undefined;
    return [{ quantity: 'angle', value: degrees, unit: 'deg', calibration: 'not-applicable' }];
  },
  // Thoracic width first (right and left inner rib margins), then the heart's widest extent;
  // both horizontal (transverse diameters), as the ratio is defined, in either click order.
  ctr: ([t1, t2, c1, c2], spacing) => {
    const thoracicPx = Math.abs(t2!.x - t1!.x);
    const cardiacPx = Math.abs(c2!.x - c1!.x);
    if (thoracicPx === 0) return undefined;
    return [
      {
        quantity: 'cardiothoracic-ratio',
        value: cardiacPx / thoracicPx,
        unit: 'ratio',
        calibration: 'not-applicable',
      },
      scaledDistance('cardiac-width', cardiacPx, 0, spacing),
      scaledDistance('thoracic-width', thoracicPx, 0, spacing),
    ];
  },
  'disc-ruler': ([a, b]) => {
    const diameter = pixelDistance(a!, b!);
    if (diameter === 0) return undefined;
    return [
      { quantity: 'disc-diameter', value: diameter, unit: 'px', calibration: 'uncalibrated' },
    ];
  },
  'zone-i': ([disc, fovea]) => {
    const distance = pixelDistance(disc!, fovea!);
    if (distance === 0) return undefined;
    return [
      {
        quantity: 'zone-i-radius',
        value: zoneOneRadius(disc!, fovea!),
        unit: 'px',
        calibration: 'uncalibrated',
      },
      {
        quantity: 'disc-fovea-distance',
        value: distance,
        unit: 'px',
        calibration: 'uncalibrated',
      },
    ];
  },
};

/** The numbers of a measurement of `kind` from exactly its number of points, or undefined. */
export function measureAnnotation(
  kind: AnnotationKind,
  points: readonly ImagePoint[],
  spacing: FrameSpacing | undefined,
): MeasuredValue[] | undefined {
  if (points.length !== POINTS_PER_KIND[kind]) return undefined;
  if (!points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))) return undefined;
  return MEASURES[kind](points, spacing);
}

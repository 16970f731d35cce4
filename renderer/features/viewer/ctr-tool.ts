/**
 * The cardiothoracic ratio tool's arithmetic: four points placed by the reader, thoracic
 * width first (right inner rib margin, left inner rib margin), then the heart's widest
 * extent (right border, left border). Widths are horizontal (transverse diameters), as the
 * ratio is defined; millimetres only where the film has a pixel spacing.
 */
export interface ImagePoint {
  x: number;
  y: number;
}

export interface CtrReading {
  thoracicPx: number;
  cardiacPx: number;
  ratio: number;
  thoracicMm?: number;
  cardiacMm?: number;
}

export function ctrReading(
  points: readonly ImagePoint[],
  columnSpacingMm?: number,
): CtrReading | undefined {
  if (points.length < 4) return undefined;
  const [t1, t2, c1, c2] = points as [ImagePoint, ImagePoint, ImagePoint, ImagePoint];
  const thoracicPx = Math.abs(t2.x - t1.x);
  const cardiacPx = Math.abs(c2.x - c1.x);
  if (thoracicPx === 0) return undefined;
  const reading: CtrReading = { thoracicPx, cardiacPx, ratio: cardiacPx / thoracicPx };
  if (columnSpacingMm) {
    reading.thoracicMm = thoracicPx * columnSpacingMm;
    reading.cardiacMm = cardiacPx * columnSpacingMm;
  }
  return reading;
}

/**
 * Cardiothoracic ratio of a frontal chest film: the heart's widest horizontal extent over
 * the widest horizontal extent of the two lung fields together (outer lung borders).
 *
 * Thorax: from the lung model's mask (ctr/lung-fields.ts), the widest row across the outer
 * borders of the two fields. Heart: measured on the film itself (ctr/heart-borders.ts),
 * because the lung model, trained mostly on masks drawn behind the heart, does not stop at
 * the heart border. Between the hila (the upper 55% of the lung height on the right, 45% on
 * the left, are left out) and the diaphragm, each heart border is traced row by row as the
 * edge where the dense shadow contiguous with the mediastinal midline drops into aerated
 * lung (dark pixels of a lung field), with a bounded slope from row to row; rows off the
 * border's arc or turning out along the diaphragm are set aside, and the widest extent on
 * each side is read from the running median of the accepted rows.
 *
 * No value rather than a wrong one: every border point is checked against the aerated-lung
 * estimate, and the ratio is withheld, with a coded reason (ctr/errors.ts), when the lungs
 * are not two plausible fields of a frontal film, a border is found on too few rows or
 * crosses aerated lung, the rows disagree, or the ratio is implausible.
 */
import type { BinaryMask } from './binary-mask.ts';
import { MeasurementError } from './ctr/errors.ts';
import {
  traceHeart,
  type HeartTrace,
  type RowStatus,
  type SideTrace,
} from './ctr/heart-borders.ts';
import { findLungFields, type LungFields, type Point } from './ctr/lung-fields.ts';

export { MeasurementError, type CtrErrorCode } from './ctr/errors.ts';
export type { Point } from './ctr/lung-fields.ts';

export interface SideEvidence {
  /** Rows between the hila and the diaphragm where a border was looked for. */
  rowsSearched: number;
  /** Rows whose border passed every check (the measurement comes from these). */
  rowsWithBorder: number;
  /** Rows set aside, by reason. */
  rowsRejected: Partial<Record<Exclude<RowStatus, 'ok' | 'lung-base'>, number>>;
  /** Median heart-to-lung step across the accepted borders, as a share of the lung-to-mediastinum range. */
  medianContrast: number;
  /** Spread (median absolute deviation, px) of the accepted border around the widest point. */
  spreadPx: number;
  /** The accepted border points (image pixels), top to bottom, for drawing. */
  border: Point[];
}

export interface CtrEvidence {
  right: SideEvidence;
  left: SideEvidence;
  /** The rows the heart was searched in (image rows): below the hila, above the diaphragm. */
  band: { top: number; bottom: number };
  /** The mediastinal midline (image column). */
  midline: number;
  /** Accepted border points lying in aerated lung (always 0 in a returned measurement: such a film abstains). */
  borderPointsInAeratedLung: number;
  /** One line for the reader. */
  summary: string;
}

export interface CardiothoracicMeasurement {
  /** Endpoints of the thoracic width (same row): image-left and image-right outer lung border. */
  thoracic: [Point, Point];
  /** The right heart border (image left) and the left heart border (image right) at their widest; rows may differ. */
  cardiac: [Point, Point];
  /** Horizontal distances between the two points of each pair, so the ratio equals the CTR tool's reading of the same points. */
  thoracicWidthPx: number;
  cardiacWidthPx: number;
  ratio: number;
  /** 0..1: how well the borders are supported (rows found, contrast, agreement between rows). */
  confidence: number;
  evidence: CtrEvidence;
}

/** Outside this range the ratio is taken as a measurement failure, not a finding. */
export const PLAUSIBLE_RATIO: readonly [number, number] = [0.3, 0.8];

/** A side needs at least this many accepted rows, and this share of the rows searched. */
const MIN_ROWS = 6;
const MIN_ROW_SHARE = 0.3;

/** Abstain when more than this share of the searched rows put the border across aerated lung. */
const MAX_AERATED_SHARE = 0.4;

/** Abstain when the accepted rows near the widest point scatter by more than this share of the thorax (MAD). */
const MAX_SPREAD = 0.025;

const SIDE_NAME = {
  right: 'right heart border (image left)',
  left: 'left heart border (image right)',
} as const;

function median(values: number[]): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

function sideEvidence(trace: SideTrace, lungHeight: number): SideEvidence {
  const searched = trace.rows.filter((r) => r.status !== 'lung-base');
  const accepted = searched.filter((r) => r.status === 'ok');
  const rejected: SideEvidence['rowsRejected'] = {};
  for (const r of searched)
    if (r.status !== 'ok' && r.status !== 'lung-base')
      rejected[r.status] = (rejected[r.status] ?? 0) + 1;
  // Agreement between rows near the widest point: how far each accepted row lies from the
  // running median of its neighbours (a smooth border, however curved, scatters little).
  let spreadPx = Number.NaN;
  if (trace.extreme) {
    const w = 0.04 * lungHeight;
    const near = accepted.filter((r) => Math.abs(r.y - trace.extreme!.y) <= 0.1 * lungHeight);
    spreadPx = median(
      near.map((r) =>
        Math.abs(r.x - median(accepted.filter((o) => Math.abs(o.y - r.y) <= w).map((o) => o.x))),
      ),
    );
  }
  return {
    rowsSearched: searched.length,
    rowsWithBorder: accepted.length,
    rowsRejected: rejected,
    medianContrast: median(accepted.map((r) => r.contrast)),
    spreadPx,
    border: accepted.map((r) => ({ x: Math.round(r.x * 10) / 10, y: r.y })),
  };
}

function checkSide(trace: SideTrace, evidence: SideEvidence, fields: LungFields): Point {
  const name = SIDE_NAME[trace.side];
  const { rowsSearched, rowsWithBorder } = evidence;
  const crossing = evidence.rowsRejected['crosses-aerated-lung'] ?? 0;
  if (rowsSearched && crossing / rowsSearched > MAX_AERATED_SHARE) {
    throw new MeasurementError(
      'CTR_BORDER_IN_AERATED_LUNG',
      `The ${name} traced on ${crossing} of ${rowsSearched} rows lies in aerated lung, so it is not the heart; no ratio given.`,
    );
  }
  if (!rowsSearched) {
    throw new MeasurementError(
      'CTR_HEART_NOT_FOUND',
      `No rows between the hila and the diaphragm could be searched for the ${name} (the lung field ends too high); no ratio given.`,
    );
  }
  if (
    rowsWithBorder < MIN_ROWS ||
    rowsWithBorder < MIN_ROW_SHARE * rowsSearched ||
    !trace.extreme
  ) {
    throw new MeasurementError(
      'CTR_HEART_NOT_FOUND',
      `The ${name} was found against aerated lung on too few rows (${rowsWithBorder} of ${rowsSearched} between the hila and the diaphragm); no ratio given.`,
    );
  }
  if (evidence.spreadPx > MAX_SPREAD * fields.thoracicWidthPx) {
    throw new MeasurementError(
      'CTR_LOW_CONFIDENCE',
      `The ${name} is inconsistent between rows (spread ${evidence.spreadPx.toFixed(1)} px around its widest point); no ratio given.`,
    );
  }
  return trace.extreme;
}

function confidenceOf(evidence: SideEvidence, fields: LungFields): number {
  const rows = Math.min(1, evidence.rowsWithBorder / Math.max(1, evidence.rowsSearched) / 0.7);
  const contrast = Math.min(1, evidence.medianContrast / 0.5);
  const agreement = Math.max(0, 1 - evidence.spreadPx / (MAX_SPREAD * fields.thoracicWidthPx));
  return rows * contrast * (0.5 + 0.5 * agreement);
}

/**
 * `lungs`: the lung model's mask on the image; `luma`: the film's 8-bit display rendering
 * (air dark), same size. Throws a MeasurementError (coded) when it abstains.
 */
export function cardiothoracicRatio(
  lungs: BinaryMask,
  luma: Uint8Array | undefined,
): CardiothoracicMeasurement {
  if (!luma || luma.length !== lungs.width * lungs.height) {
    throw new MeasurementError(
      'CTR_NO_FILM',
      'The cardiothoracic ratio needs the film itself to see the heart borders; only the lung mask was given.',
    );
  }
  const fields = findLungFields(lungs);
  const trace: HeartTrace = traceHeart(fields, luma);
  const lungHeight = fields.bottom - fields.top;
  const right = sideEvidence(trace.right, lungHeight);
  const left = sideEvidence(trace.left, lungHeight);
  const rightPoint = checkSide(trace.right, right, fields);
  const leftPoint = checkSide(trace.left, left, fields);

  // The hard rule, checked again on the points the ratio is made of (and every accepted row):
  // no heart-border point may lie in aerated lung.
  const points = (t: SideTrace) => [...t.rows.filter((r) => r.status === 'ok'), t.extreme!];
  const inLung =
    points(trace.right).filter((p) => trace.inAeratedLung(p, 'right')).length +
    points(trace.left).filter((p) => trace.inAeratedLung(p, 'left')).length;
  if (inLung) {
    throw new MeasurementError(
      'CTR_BORDER_IN_AERATED_LUNG',
      `${inLung} heart-border point(s) lie in aerated lung; no ratio given.`,
    );
  }
  if (
    !(rightPoint.x < fields.midline && fields.midline < leftPoint.x) ||
    rightPoint.x <= fields.thoracic[0].x ||
    leftPoint.x >= fields.thoracic[1].x
  ) {
    throw new MeasurementError(
      'CTR_LOW_CONFIDENCE',
      'The heart borders found do not straddle the midline inside the thorax; no ratio given.',
    );
  }
  const thoracicWidthPx = fields.thoracic[1].x - fields.thoracic[0].x;
  const cardiacWidthPx = leftPoint.x - rightPoint.x;
  const ratio = cardiacWidthPx / thoracicWidthPx;
  if (ratio < PLAUSIBLE_RATIO[0] || ratio > PLAUSIBLE_RATIO[1]) {
    throw new MeasurementError(
      'CTR_LOW_CONFIDENCE',
      `The ratio found (${ratio.toFixed(2)}) is outside ${PLAUSIBLE_RATIO[0]}–${PLAUSIBLE_RATIO[1]}, more likely a failed border than a heart of that size; no ratio given.`,
    );
  }
  const confidence = Math.min(confidenceOf(right, fields), confidenceOf(left, fields));
  const summary = `Heart borders against aerated lung on ${right.rowsWithBorder} of ${right.rowsSearched} rows (right) and ${left.rowsWithBorder} of ${left.rowsSearched} (left); none in aerated lung.`;
  return {
    thoracic: fields.thoracic,
    cardiac: [rightPoint, leftPoint],
    thoracicWidthPx,
    cardiacWidthPx,
    ratio,
    confidence: Math.round(confidence * 100) / 100,
    evidence: {
      right,
      left,
      band: { top: trace.bandTop, bottom: trace.bandBottom },
      midline: fields.midline,
      borderPointsInAeratedLung: inLung,
      summary,
    },
  };
}

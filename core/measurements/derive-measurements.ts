/**
 * The measurements a segmentation package declares (manifest `measurements`), computed
 * from its probability map on the image: the cardiothoracic ratio from lung fields, and
 * plus-disease vascular metrics from a vessel map. One implementation for the CLI, the
 * service and the page. Results carry their method and caveats with them.
 */
import type { DecodedFrame } from '../base/schemas.ts';
import { displayBytes } from '../imaging/frame-display.ts';
import { thresholdMap, type BinaryMask } from './binary-mask.ts';
import { cardiothoracicRatio, type CardiothoracicMeasurement } from './cardiothoracic-ratio.ts';
import {
  tortuosityOverlay,
  vascularMetrics,
  type Laterality,
  type ReaderDisc,
  type VascularMetrics,
} from './vascular/vascular-metrics.ts';

export type MeasurementKind = 'cardiothoracic-ratio' | 'retinal-vascular-metrics';

export interface CtrResult {
  kind: 'cardiothoracic-ratio';
  method: string;
  measurement: CardiothoracicMeasurement;
  /** Widths in mm where the film has a pixel spacing, with the attribute it came from. */
  millimetres?: { thoracic: number; cardiac: number; spacingSource: string; caveat: string };
}

export interface VascularResult {
  kind: 'retinal-vascular-metrics';
  method: string;
  /** The metrics without the per-vessel pixel lists (those go into the overlay). */
  metrics: Omit<VascularMetrics, 'vessels'> & {
    vessels: Omit<VascularMetrics['vessels'][number], 'pixels'>[];
  };
  overlay: { width: number; height: number; rgba: Uint8Array };
}

export type DerivedMeasurement = CtrResult | VascularResult;

export interface ProbabilityMapOnImage {
  width: number;
  height: number;
  values: Float32Array;
  threshold: number;
}

/** The 8-bit grey of the frame's default display rendering (BT.601 luma for colour). */
export function displayLuma(frame: DecodedFrame, rendered = displayBytes(frame)): Uint8Array {
  const { channels, data } = rendered;
  if (channels === 1) return data;
  const luma = new Uint8Array(frame.rows * frame.columns);
  for (let i = 0; i < luma.length; i++)
    luma[i] = Math.round(
      0.299 * data[i * 3]! + 0.587 * data[i * 3 + 1]! + 0.114 * data[i * 3 + 2]!,
    );
  return luma;
}

/** The camera's field of view: the dark surround of a fundus image is below 20 in red (or grey). */
export function fundusField(frame: DecodedFrame): { luma: Uint8Array; field: BinaryMask } {
  const rendered = displayBytes(frame);
  const { channels, data } = rendered;
  const field = new Uint8Array(frame.rows * frame.columns);
  for (let i = 0; i < field.length; i++)
    field[i] = (channels === 3 ? data[i * 3]! : data[i]!) > 20 ? 1 : 0;
  return {
    luma: displayLuma(frame, rendered),
    field: { width: frame.columns, height: frame.rows, data: field },
  };
}

export function lateralityOf(value: string | undefined): Laterality {
  const v = (value ?? '').trim().toUpperCase();
  if (v === 'R' || v === 'OD') return 'OD';
  if (v === 'L' || v === 'OS') return 'OS';
  return undefined;
}

export function deriveMeasurement(
  kind: MeasurementKind,
  frame: DecodedFrame,
  map: ProbabilityMapOnImage,
  context: { laterality?: string; disc?: ReaderDisc } = {},
): DerivedMeasurement {
  const mask = thresholdMap(map.values, map.width, map.height, map.threshold);
  if (kind === 'cardiothoracic-ratio') {
    const measurement = cardiothoracicRatio(mask, displayLuma(frame));
    const result: CtrResult = {
      kind,
      method:
        'Thoracic width: the widest row across the outer borders of the two lung fields (lung model). Heart: its borders traced row by row on the film between the hila and the diaphragm, where the dense cardiac shadow meets aerated lung; no border point may lie in aerated lung, and the measurement abstains (no ratio, with the reason) when the heart cannot be found with confidence. Not a heart segmentation; the reader checks and adjusts the points.',
      measurement,
    };
    if (frame.spacing) {
      result.millimetres = {
        thoracic: measurement.thoracicWidthPx * frame.spacing.column,
        cardiac: measurement.cardiacWidthPx * frame.spacing.column,
        spacingSource: frame.spacing.source,
        caveat:
          frame.spacing.source === 'PixelSpacing'
            ? 'calibrated at the patient plane by the modality'
            : 'spacing at the detector: magnification not corrected, sizes overstated by the geometric magnification',
      };
    }
    return result;
  }
  const { luma, field } = fundusField(frame);
  const metrics = vascularMetrics(luma, field, mask, {
    laterality: lateralityOf(context.laterality),
    disc: context.disc,
  });
  return {
    kind,
    method:
      'Optic disc detected by vessel convergence and brightness, with a confidence (or not found; or placed by the reader); major vessels traced from the disc margin to 3 disc diameters and measured for tortuosity index (arc/chord), integrated curvature and width; indicator from published thresholds (rule and sources in metrics.severity.rule), not validated on plus-labelled images. A measurement for the reader, not a diagnosis.',
    metrics: { ...metrics, vessels: metrics.vessels.map(({ pixels: _pixels, ...rest }) => rest) },
    overlay: {
      width: frame.columns,
      height: frame.rows,
      rgba: tortuosityOverlay(metrics, frame.columns, frame.rows),
    },
  };
}

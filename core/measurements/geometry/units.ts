/**
 * The vocabulary of a measured number, defined once: what it measures, its unit and how far
 * its scale can be trusted. The contract's schema, the store, the page and the exports all
 * derive from these lists (pure: the page imports this folder).
 */
import type { DecodedFrame } from '../../base/schemas.ts';

/** mm and px for distances, deg for angles, ratio for a dimensionless quotient. */
export const MEASUREMENT_UNITS = ['mm', 'deg', 'ratio', 'px'] as const;
export type MeasurementUnit = (typeof MEASUREMENT_UNITS)[number];

/**
 * calibrated: millimetres from Pixel Spacing, which is in the patient plane (PS3.3 10.7.1.3).
 * uncalibrated: millimetres from Imager Pixel Spacing or Nominal Scanned Pixel Spacing (at the
 * detector or the digitiser: the patient is magnified by the beam's divergence), or pixels
 * where the image has no spacing.
 * not-applicable: an angle or a ratio of widths along one axis, which magnification leaves unchanged.
 */
export const CALIBRATIONS = ['calibrated', 'uncalibrated', 'not-applicable'] as const;
export type Calibration = (typeof CALIBRATIONS)[number];

/** What one number of a measurement is (a CTR has three: the ratio and the two widths). */
export const QUANTITIES = [
  'length',
  'angle',
  'cardiothoracic-ratio',
  'cardiac-width',
  'thoracic-width',
  'disc-diameter',
  'zone-i-radius',
  'disc-fovea-distance',
] as const;
export type Quantity = (typeof QUANTITIES)[number];

export interface MeasuredValue {
  quantity: Quantity;
  value: number;
  unit: MeasurementUnit;
  calibration: Calibration;
}

/** Row and column spacing in mm of the image measured on, with the attribute it came from. */
export type FrameSpacing = NonNullable<DecodedFrame['spacing']>;

export interface ImagePoint {
  x: number;
  y: number;
}

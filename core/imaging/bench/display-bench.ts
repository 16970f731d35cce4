/**
 * The viewer's pixel paths that run when a reader switches views: contrast-enhanced (CLAHE)
 * and red-free fundus views, each against global histogram equalisation of the same image
 * measured in the same run (the cheapest whole-image remap, the reference).
 */
import { claheRgb, equaliseGrey } from '../clahe.ts';
import { medianMs } from '../../testing/median-time.ts';

export interface DisplayFigures {
  width: number;
  height: number;
  equaliseMs: number;
  claheMs: number;
  redFreeMs: number;
}

export function benchDisplay(
  rgb: Uint8Array,
  width: number,
  height: number,
  redFree: (rgb: Uint8Array) => Uint8Array,
): DisplayFigures {
  const green = new Uint8Array(width * height);
  for (let i = 0; i < green.length; i++) green[i] = rgb[i * 3 + 1]!;
  return {
    width,
    height,
    equaliseMs: medianMs(() => equaliseGrey(green), 7),
    claheMs: medianMs(() => claheRgb(rgb, width, height), 7),
    redFreeMs: medianMs(() => redFree(rgb), 7),
  };
}

export function formatDisplayFigures(f: DisplayFigures): string {
  return [
    `\nFundus views, ${f.width}×${f.height} RGB (median of 7; ratios to global equalisation in this run)`,
    `global histogram equalisation (reference) ${f.equaliseMs.toFixed(1).padStart(7)} ms`,
    `contrast-enhanced (CLAHE, 8×8 tiles)       ${f.claheMs.toFixed(1).padStart(7)} ms  ${(f.claheMs / f.equaliseMs).toFixed(1)}×`,
    `red-free (green channel)                  ${f.redFreeMs.toFixed(1).padStart(7)} ms  ${(f.redFreeMs / f.equaliseMs).toFixed(1)}×`,
  ].join('\n');
}

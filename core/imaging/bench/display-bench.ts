/**
 * The viewer's pixel paths that run when a reader switches views: contrast-enhanced (CLAHE)
 * and red-free fundus views, each against global histogram equalisation of the same image
 * measured in the same run (the cheapest whole-image remap, the reference).
 */
import { claheRgb, equaliseGrey } from '../clahe.ts';

export interface DisplayFigures {
  width: number;
  height: number;
  equaliseMs: number;
  claheMs: number;
  redFreeMs: number;
}

function medianMs(run: () => void, repeats = 7): number {
  run(); // warm
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export function benchDisplay(rgb: Uint8Array, width: number, height: number, redFree: (rgb: Uint8Array) => Uint8Array): DisplayFigures {
  const green = new Uint8Array(width * height);
  for (let i = 0; i < green.length; i++) green[i] = rgb[i * 3 + 1]!;
  return {
    width,
    height,
    equaliseMs: medianMs(() => equaliseGrey(green)),
    claheMs: medianMs(() => claheRgb(rgb, width, height)),
    redFreeMs: medianMs(() => redFree(rgb)),
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

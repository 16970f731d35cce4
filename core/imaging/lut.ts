/**
 * Grayscale display pipeline of PS3.3 C.11 as pure functions, shared by the viewer and
 * the engine: stored value → Modality LUT (rescale or LUT sequence, C.11.1) → VOI
 * (window with LINEAR / LINEAR_EXACT / SIGMOID, or a VOI LUT, C.11.2) → presentation
 * (inversion for MONOCHROME1 or Presentation LUT Shape INVERSE, C.11.6) → 0..255.
 */
export interface LookupTable {
  /** Stored (or modality) value mapped to the first entry. */
  firstValueMapped: number;
  bitsPerEntry: number;
  entries: number[];
  explanation?: string;
}

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface VoiWindow {
  center: number;
  width: number;
  explanation?: string;
}

/** Table lookup with clamping at both ends (C.11.1.1.1: values outside map to the end entries). */
export function lookup(table: LookupTable, value: number): number {
  const index = Math.round(value) - table.firstValueMapped;
  const last = table.entries.length - 1;
  return table.entries[index < 0 ? 0 : index > last ? last : index]!;
}

export function modalityValue(
  stored: number,
  rescale: { slope: number; intercept: number },
  table?: LookupTable,
): number {
  return table ? lookup(table, stored) : stored * rescale.slope + rescale.intercept;
}

/** C.11.2.1.2 (LINEAR), C.11.2.1.3.1 (LINEAR_EXACT) and C.11.2.1.3.2 (SIGMOID), output 0..1. */
export function applyWindow(value: number, window: VoiWindow, fn: VoiFunction = 'LINEAR'): number {
  const { center, width } = window;
  if (fn === 'SIGMOID') return 1 / (1 + Math.exp((-4 * (value - center)) / width));
  if (fn === 'LINEAR_EXACT') {
    if (value <= center - width / 2) return 0;
    if (value > center + width / 2) return 1;
    return (value - center) / width + 0.5;
  }
  if (width < 1) return value <= center - 0.5 ? 0 : 1;
  if (value <= center - 0.5 - (width - 1) / 2) return 0;
  if (value > center - 0.5 + (width - 1) / 2) return 1;
  return (value - (center - 0.5)) / (width - 1) + 0.5;
}

export function applyVoiLut(value: number, table: LookupTable): number {
  return lookup(table, value) / (2 ** table.bitsPerEntry - 1);
}

/** Whether the displayed image is inverted (C.7.6.3.1.2 and C.11.6.1). */
export function displayInverted(photometric: string, presentationLutShape?: string): boolean {
  // For MONOCHROME1 an INVERSE shape restates the photometric meaning (DX IOD, C.8.11.1.1.1);
  // it does not invert a second time.
  if (photometric === 'MONOCHROME1') return true;
  return presentationLutShape === 'INVERSE';
}

export interface GrayscalePipeline {
  rescale: { slope: number; intercept: number };
  modalityLut?: LookupTable;
  voi: { window?: VoiWindow; lut?: LookupTable; fn: VoiFunction };
  inverted: boolean;
}

/** Display value (0..255) of one stored value through the whole pipeline. */
export function displayValue(stored: number, pipeline: GrayscalePipeline): number {
  const modality = modalityValue(stored, pipeline.rescale, pipeline.modalityLut);
  let unit: number;
  if (pipeline.voi.lut) unit = applyVoiLut(modality, pipeline.voi.lut);
  else if (pipeline.voi.window) unit = applyWindow(modality, pipeline.voi.window, pipeline.voi.fn);
  else unit = 0.5;
  const out = Math.round(unit * 255);
  return pipeline.inverted ? 255 - out : out;
}

/** A table of display values for every stored value from min to max (for fast drawing). */
export function buildDisplayTable(
  minStored: number,
  maxStored: number,
  pipeline: GrayscalePipeline,
): Uint8Array {
  const table = new Uint8Array(maxStored - minStored + 1);
  for (let v = minStored; v <= maxStored; v++) table[v - minStored] = displayValue(v, pipeline);
  return table;
}

/**
 * The VOI stage as an 8-bit table over modality values [min, max], for viewers that index
 * a table (cornerstone's voiLUT). A final 255 sentinel, one past max, is never indexed;
 * it keeps cornerstone's "bits per entry" guess (bit length of the largest entry) at 8.
 */
export function voiDisplayTable(
  minModality: number,
  maxModality: number,
  voi: GrayscalePipeline['voi'],
): { firstValueMapped: number; entries: number[] } {
  const low = Math.floor(minModality);
  const high = Math.ceil(maxModality);
  const entries = new Array<number>(high - low + 2);
  for (let v = low; v <= high; v++) {
    const unit = voi.lut
      ? applyVoiLut(v, voi.lut)
      : voi.window
        ? applyWindow(v, voi.window, voi.fn)
        : 0.5;
    entries[v - low] = Math.round(unit * 255);
  }
  entries[high - low + 1] = 255;
  return { firstValueMapped: low, entries };
}

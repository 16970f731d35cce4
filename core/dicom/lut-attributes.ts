/**
 * Reads the LUT attributes: Modality LUT Sequence (0028,3000), VOI LUT Sequence
 * (0028,3010), Window Center/Width with several values (0028,1050/1051) and their
 * explanations (0028,1055), VOI LUT Function (0028,1056), Presentation LUT Shape
 * (2050,0020), and the palette of PALETTE COLOR images (C.7.6.3.1.5).
 */
import type { LookupTable, VoiFunction, VoiWindow } from '../imaging/lut.ts';
import { readDecimal, readString } from './attributes.ts';
import type { DataSet, Element } from './dicom-parser-module.ts';

function readWords(dataSet: DataSet, element: Element, signed: boolean): number[] {
  const count = Math.floor(element.length / 2);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const offset = element.dataOffset + i * 2;
    out.push(
      signed
        ? dataSet.byteArrayParser.readInt16(dataSet.byteArray, offset)
        : dataSet.byteArrayParser.readUint16(dataSet.byteArray, offset),
    );
  }
  return out;
}

/** LUT Descriptor + LUT Data (C.11.1.1.1); an entry count of 0 means 65,536. */
export function readLookupTable(
  item: DataSet,
  descriptorTag: string,
  dataTag: string,
  pixelRepresentation: number,
): LookupTable | undefined {
  const descriptor = item.elements[descriptorTag];
  const data = item.elements[dataTag];
  if (!descriptor || !data || descriptor.length < 6) return undefined;
  const entries = item.uint16(descriptorTag, 0) || 65536;
  // The first value mapped is signed when the mapped values are (pixel representation 1).
  const firstRaw = item.uint16(descriptorTag, 1) ?? 0;
  const firstValueMapped =
    pixelRepresentation === 1 && firstRaw > 32767 ? firstRaw - 65536 : firstRaw;
  const bitsPerEntry = item.uint16(descriptorTag, 2) ?? 16;
  let values: number[];
  if (data.length === entries)
    values = Array.from(item.byteArray.subarray(data.dataOffset, data.dataOffset + entries)); // 8-bit packed
  else values = readWords(item, data, false).slice(0, entries);
  if (values.length < entries) return undefined;
  return { firstValueMapped, bitsPerEntry, entries: values };
}

export function readModalityLut(
  dataSet: DataSet,
  pixelRepresentation: number,
): LookupTable | undefined {
  const item = dataSet.elements.x00283000?.items?.[0]?.dataSet;
  return item ? readLookupTable(item, 'x00283002', 'x00283006', pixelRepresentation) : undefined;
}

export function readVoiLuts(dataSet: DataSet, pixelRepresentation: number): LookupTable[] {
  const items = dataSet.elements.x00283010?.items ?? [];
  return items.flatMap((item) => {
    if (!item.dataSet) return [];
    // VOI LUTs map modality values, which are signed if the modality LUT or rescale makes them so;
    // the descriptor's first value follows the pixel representation (C.11.2.1.1).
    const table = readLookupTable(item.dataSet, 'x00283002', 'x00283006', pixelRepresentation);
    if (!table) return [];
    table.explanation = readString(item.dataSet, 'x00283003') || undefined;
    return [table];
  });
}

export function readWindows(dataSet: DataSet): VoiWindow[] {
  const windows: VoiWindow[] = [];
  const count = dataSet.numStringValues('x00281050') ?? 0;
  for (let i = 0; i < count; i++) {
    const center = readDecimal(dataSet, 'x00281050', i);
    const width = readDecimal(dataSet, 'x00281051', i) ?? readDecimal(dataSet, 'x00281051', 0);
    if (center === undefined || width === undefined || width <= 0) continue;
    const explanation = readString(dataSet, 'x00281055', i) || undefined;
    windows.push({ center, width, explanation });
  }
  return windows;
}

export function readVoiFunction(dataSet: DataSet): VoiFunction {
  const value = readString(dataSet, 'x00281056').toUpperCase();
  return value === 'SIGMOID' || value === 'LINEAR_EXACT' ? value : 'LINEAR';
}

export function readPresentationLutShape(dataSet: DataSet): 'IDENTITY' | 'INVERSE' | undefined {
  const value = readString(dataSet, 'x20500020').toUpperCase();
  return value === 'IDENTITY' || value === 'INVERSE' ? value : undefined;
}

/** Red, green and blue palettes of a PALETTE COLOR image (C.7.6.3.1.5), as 8-bit tables. */
export function readPalette(
  dataSet: DataSet,
): { red: LookupTable; green: LookupTable; blue: LookupTable } | undefined {
  const read = (descriptor: string, data: string) => readLookupTable(dataSet, descriptor, data, 0);
  const red = read('x00281101', 'x00281201');
  const green = read('x00281102', 'x00281202');
  const blue = read('x00281103', 'x00281203');
  return red && green && blue ? { red, green, blue } : undefined;
}

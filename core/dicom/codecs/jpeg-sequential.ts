/**
 * Sequential DCT JPEG decoder (ISO 10918-1 processes 1, 2 and 4: Huffman coding, 8- or
 * 12-bit samples). The WASM libjpeg-turbo build decodes only 8-bit data; DICOM's JPEG
 * Extended syntax (1.2.840.10008.1.2.4.51) carries 12-bit CT/NM/CR frames, so those are
 * decoded here. No colour conversion: 12-bit JPEG in DICOM is monochrome in practice,
 * and colour data keeps its encoded colour space (the Photometric Interpretation says
 * which). Uses a floating-point IDCT; libjpeg's integer IDCT differs by at most a few
 * levels, which the reference test bounds.
 */
import { DicomError } from '../errors.ts';

const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** IDCT basis: COS[u * 8 + x] = C(u)/2 · cos((2x+1)uπ/16). */
const COS = new Float64Array(64);
for (let u = 0; u < 8; u++)
  for (let x = 0; x < 8; x++)
    COS[u * 8 + x] =
      (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);

interface HuffmanTable {
  maxCode: Int32Array; // per length 1..16, -1 when no codes
  valPtr: Int32Array;
  minCode: Int32Array;
  values: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
  quantTable: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  coefficients: Int32Array; // dequantised later; stored quantised per block
  dcTable?: HuffmanTable;
  acTable?: HuffmanTable;
  pred: number;
}

export interface DecodedJpeg {
  width: number;
  height: number;
  precision: number;
  components: number;
  /** Samples interleaved, one Uint16 per sample (values up to 2^precision - 1). */
  samples: Uint16Array;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valPtr = new Int32Array(17);
  const minCode = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    valPtr[length] = k;
    minCode[length] = code;
    code += counts[length - 1]!;
    k += counts[length - 1]!;
    if (counts[length - 1]) maxCode[length] = code - 1;
    code <<= 1;
  }
  return { maxCode, valPtr, minCode, values };
}

class BitReader {
  private bits = 0;
  private count = 0;
  constructor(
    private readonly data: Uint8Array,
    public offset: number,
  ) {}

  /** Next bit; past a marker the stream yields zeros (libjpeg does the same). */
  bit(): number {
    if (this.count === 0) {
      let byte = 0;
      const d = this.data;
      if (this.offset < d.length && !(d[this.offset] === 0xff && d[this.offset + 1] !== 0x00)) {
        byte = d[this.offset++]!;
        if (byte === 0xff) this.offset++; // skip stuffed 0x00
      }
      this.bits = byte;
      this.count = 8;
    }
    this.count--;
    return (this.bits >> this.count) & 1;
  }

  receive(length: number): number {
    let value = 0;
    for (let i = 0; i < length; i++) value = (value << 1) | this.bit();
    return value;
  }

  /** Drops buffered bits and steps over the RSTn marker at a restart interval. */
  restart(): void {
    this.count = 0;
    const d = this.data;
    while (
      this.offset + 1 < d.length &&
      !(d[this.offset] === 0xff && d[this.offset + 1]! >= 0xd0 && d[this.offset + 1]! <= 0xd7)
    )
      this.offset++;
    if (this.offset + 1 < d.length) this.offset += 2;
  }

  /** Position of the next marker (end of the entropy-coded segment). */
  nextMarker(): number {
    let o = this.offset;
    const d = this.data;
    while (
      o + 1 < d.length &&
      !(d[o] === 0xff && d[o + 1] !== 0 && !(d[o + 1]! >= 0xd0 && d[o + 1]! <= 0xd7))
    )
      o++;
    return o;
  }
}

function decodeHuffman(reader: BitReader, table: HuffmanTable, fail: (m: string) => never): number {
  let code = 0;
  for (let length = 1; length <= 16; length++) {
    code = (code << 1) | reader.bit();
    if (code <= table.maxCode[length]!)
      return table.values[table.valPtr[length]! + code - table.minCode[length]!]!;
  }
  return fail('invalid Huffman code in the entropy-coded data');
}

function extend(value: number, bits: number): number {
  return bits === 0 ? 0 : value < 1 << (bits - 1) ? value - (1 << bits) + 1 : value;
}

export function decodeSequentialJpeg(
  data: Uint8Array,
  fileName: string,
  warn?: (warning: { code: string; message: string }) => void,
): DecodedJpeg {
  const fail = (message: string): never => {
    throw new DicomError('DICOM_CODEC_FAILED', `JPEG: ${message}`, fileName);
  };
  if (data[0] !== 0xff || data[1] !== 0xd8) fail('no SOI marker at the start of the frame');
  const quant: Int32Array[] = [];
  const dcTables: HuffmanTable[] = [];
  const acTables: HuffmanTable[] = [];
  let frame:
    | {
        precision: number;
        height: number;
        width: number;
        components: Component[];
        hMax: number;
        vMax: number;
        mcusPerLine: number;
        mcusPerColumn: number;
      }
    | undefined;
  let restartInterval = 0;
  let offset = 2;
  const u16 = (o: number) => (data[o]! << 8) | data[o + 1]!;

  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff)
      fail(`expected a marker at offset ${offset}, found 0x${data[offset]!.toString(16)}`);
    const marker = data[offset + 1]!;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    if (marker === 0xd9) break; // EOI
    const length = u16(offset + 2);
    const segment = offset + 4;
    const segmentEnd = offset + 2 + length;
    if (segmentEnd > data.length)
      fail(
        `marker 0xFF${marker.toString(16).toUpperCase()} at offset ${offset} runs past the end of the data`,
      );
    switch (marker) {
      case 0xdb: // DQT
        for (let o = segment; o < segmentEnd;) {
          const sixteen = data[o]! >> 4;
          const id = data[o]! & 15;
          const table = new Int32Array(64);
          o++;
          for (let k = 0; k < 64; k++, o += sixteen ? 2 : 1)
            table[ZIGZAG[k]!] = sixteen ? u16(o) : data[o]!;
          quant[id] = table;
        }
        break;
      case 0xc4: // DHT
        for (let o = segment; o < segmentEnd;) {
          const tableClass = data[o]! >> 4;
          const id = data[o]! & 15;
          const counts = data.subarray(o + 1, o + 17);
          const total = counts.reduce((a, b) => a + b, 0);
          const table = buildHuffman(counts, data.slice(o + 17, o + 17 + total));
          (tableClass === 0 ? dcTables : acTables)[id] = table;
          o += 17 + total;
        }
        break;
      case 0xdd: // DRI
        restartInterval = u16(segment);
        break;
      case 0xc0:
      case 0xc1: {
        const precision = data[segment]!;
        if (precision !== 8 && precision !== 12)
          fail(`sample precision ${precision} is not 8 or 12`);
        const height = u16(segment + 1);
        const width = u16(segment + 3);
        if (!height || !width)
          fail(`frame size ${width}×${height} (a DNL marker is not supported)`);
        const count = data[segment + 5]!;
        const components: Component[] = [];
        for (let i = 0; i < count; i++) {
          const o = segment + 6 + i * 3;
          components.push({
            id: data[o]!,
            h: data[o + 1]! >> 4,
            v: data[o + 1]! & 15,
            quantTable: data[o + 2]!,
            blocksPerLine: 0,
            blocksPerColumn: 0,
            coefficients: new Int32Array(0),
            pred: 0,
          });
        }
        const hMax = Math.max(...components.map((c) => c.h));
        const vMax = Math.max(...components.map((c) => c.v));
        const mcusPerLine = Math.ceil(width / 8 / hMax);
        const mcusPerColumn = Math.ceil(height / 8 / vMax);
        for (const c of components) {
          c.blocksPerLine = mcusPerLine * c.h;
          c.blocksPerColumn = mcusPerColumn * c.v;
          c.coefficients = new Int32Array(c.blocksPerLine * c.blocksPerColumn * 64);
        }
        frame = { precision, height, width, components, hMax, vMax, mcusPerLine, mcusPerColumn };
        break;
      }
      case 0xc2:
      case 0xc6:
      case 0xca:
        fail('progressive JPEG is not used in DICOM and is not supported');
        break;
      case 0xda: {
        if (!frame) fail('scan before frame header');
        const f = frame!;
        const count = data[segment]!;
        const scan = Array.from({ length: count }, (_, i) => {
          const c = f.components.find((comp) => comp.id === data[segment + 1 + i * 2]);
          if (!c) fail(`scan names unknown component ${data[segment + 1 + i * 2]}`);
          const tables = data[segment + 2 + i * 2]!;
          c!.dcTable = dcTables[tables >> 4];
          c!.acTable = acTables[tables & 15];
          if (!c!.dcTable || !c!.acTable)
            fail(`component ${c!.id} refers to a missing Huffman table`);
          c!.pred = 0;
          return c!;
        });
        const ss = data[segment + 1 + count * 2]!;
        const se = data[segment + 2 + count * 2]!;
        const approximation = data[segment + 3 + count * 2]!;
        if (ss !== 0 || se !== 63 || approximation !== 0) {
          // B.2.3: sequential DCT scans have Ss = 0, Se = 63, Ah = Al = 0; decoders ignore them.
          warn?.({
            code: 'DICOM_JPEG_SCAN_PARAMETERS',
            message: `JPEG scan header has Ss=${ss}, Se=${se}, Ah/Al=${approximation >> 4}/${approximation & 15}; sequential DCT requires 0, 63, 0/0 (ignored)`,
          });
        }
        const reader = new BitReader(data, segmentEnd);
        decodeScan(reader, f, scan, restartInterval, fail);
        offset = reader.nextMarker();
        continue;
      }
      default:
        if (
          marker >= 0xc3 &&
          marker <= 0xcf &&
          marker !== 0xc4 &&
          marker !== 0xc8 &&
          marker !== 0xcc
        )
          fail(
            `SOF marker 0xFF${marker.toString(16).toUpperCase()} (lossless, hierarchical or arithmetic) is not sequential DCT`,
          );
    }
    offset = segmentEnd;
  }
  if (!frame) fail('no frame header (SOF) found');
  return reconstruct(frame!, quant, fail);
}

function decodeScan(
  reader: BitReader,
  frame: { components: Component[]; mcusPerLine: number; mcusPerColumn: number },
  scan: Component[],
  restartInterval: number,
  fail: (m: string) => never,
): void {
  const block = (c: Component, row: number, col: number) => {
    const base = (row * c.blocksPerLine + col) * 64;
    const t = decodeHuffman(reader, c.dcTable!, fail);
    c.pred += extend(reader.receive(t), t);
    c.coefficients[base] = c.pred;
    for (let k = 1; k < 64;) {
      const rs = decodeHuffman(reader, c.acTable!, fail);
      const s = rs & 15;
      const r = rs >> 4;
      if (s === 0) {
        if (r !== 15) break;
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) fail('AC coefficient index beyond 63');
      c.coefficients[base + ZIGZAG[k]!] = extend(reader.receive(s), s);
      k++;
    }
  };
  const single = scan.length === 1 ? scan[0]! : undefined;
  // A single-component scan covers only that component's own blocks (A.2.2).
  const total = single
    ? Math.ceil(single.blocksPerLine / 1) * single.blocksPerColumn
    : frame.mcusPerLine * frame.mcusPerColumn;
  const perLine = single ? single.blocksPerLine : frame.mcusPerLine;
  for (let unit = 0; unit < total; unit++) {
    if (restartInterval && unit > 0 && unit % restartInterval === 0) {
      reader.restart();
      for (const c of scan) c.pred = 0;
    }
    const row = Math.floor(unit / perLine);
    const col = unit % perLine;
    if (single) block(single, row, col);
    else
      for (const c of scan)
        for (let v = 0; v < c.v; v++)
          for (let h = 0; h < c.h; h++) block(c, row * c.v + v, col * c.h + h);
  }
}

function reconstruct(
  frame: {
    precision: number;
    height: number;
    width: number;
    components: Component[];
    hMax: number;
    vMax: number;
  },
  quant: Int32Array[],
  fail: (m: string) => never,
): DecodedJpeg {
  const { width, height, components, precision } = frame;
  const max = (1 << precision) - 1;
  const shift = 1 << (precision - 1);
  const out = new Uint16Array(width * height * components.length);
  const tmp = new Float64Array(64);
  components.forEach((c, ci) => {
    const q =
      quant[c.quantTable] ??
      fail(`component ${c.id} uses missing quantisation table ${c.quantTable}`);
    const planeWidth = c.blocksPerLine * 8;
    const plane = new Uint16Array(planeWidth * c.blocksPerColumn * 8);
    for (let by = 0; by < c.blocksPerColumn; by++) {
      for (let bx = 0; bx < c.blocksPerLine; bx++) {
        const base = (by * c.blocksPerLine + bx) * 64;
        // Rows: tmp[y][x] = Σu F[y][u]·q·COS[u][x]
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) {
            let sum = 0;
            for (let u = 0; u < 8; u++) {
              const f = c.coefficients[base + y * 8 + u]!;
              if (f) sum += f * q[y * 8 + u]! * COS[u * 8 + x]!;
            }
            tmp[y * 8 + x] = sum;
          }
        }
        for (let x = 0; x < 8; x++) {
          for (let y = 0; y < 8; y++) {
            let sum = 0;
            for (let v = 0; v < 8; v++) sum += tmp[v * 8 + x]! * COS[v * 8 + y]!;
            const value = Math.round(sum) + shift;
            plane[(by * 8 + y) * planeWidth + bx * 8 + x] =
              value < 0 ? 0 : value > max ? max : value;
          }
        }
      }
    }
    const sx = frame.hMax / c.h;
    const sy = frame.vMax / c.v;
    const n = components.length;
    for (let y = 0; y < height; y++) {
      const row = Math.floor(y / sy) * planeWidth;
      for (let x = 0; x < width; x++)
        out[(y * width + x) * n + ci] = plane[row + Math.floor(x / sx)]!;
    }
  });
  return { width, height, precision, components: components.length, samples: out };
}

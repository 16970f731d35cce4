/**
 * The graphic character sets DICOM can invoke (PS3.3 Tables C.12-2 to C.12-5; PS3.5
 * 6.1.2.5): each is a G0 set (bytes 21H–7EH) or a G1 set (bytes A0H–FFH, always in GR:
 * DICOM uses no shift functions, PS3.5 6.1.2.5.1), with the escape sequence that
 * designates it and how its bytes become text.
 *
 * Multi-byte sets are decoded by the platform's TextDecoder after re-coding their bytes
 * into the EUC form it knows: JIS X 0208 in G0 gets the high bit set (EUC-JP), JIS X 0212
 * gets the EUC-JP single shift 3 (8FH) prefix, KS X 1001 and GB 2312 in G1 already are
 * EUC-KR and EUC-CN.
 */

export type CodeElementId =
  | 'ascii'
  | 'jis-x0201-romaji'
  | 'jis-x0201-katakana'
  | 'jis-x0208'
  | 'jis-x0212'
  | 'ks-x1001'
  | 'gb2312'
  | 'latin-1'
  | 'latin-2'
  | 'latin-3'
  | 'latin-4'
  | 'cyrillic'
  | 'arabic'
  | 'greek'
  | 'hebrew'
  | 'latin-5'
  | 'latin-9'
  | 'thai';

export interface CodeElement {
  id: CodeElementId;
  /** G0 holds 94 (or 94×94) characters in GL; G1 holds 96 (or 94×94) in GR. */
  register: 'G0' | 'G1';
  bytesPerCharacter: 1 | 2;
  /** The bytes after ESC that designate this set (ISO 2022, PS3.3 Table C.12-3 and C.12-4). */
  escape: readonly number[];
  /** Turns a run of this set's bytes (as found in the value) into text. */
  decode(bytes: Uint8Array): string;
}

const decoders = new Map<string, InstanceType<typeof TextDecoder>>();
function platformDecoder(label: string): InstanceType<typeof TextDecoder> {
  let decoder = decoders.get(label);
  if (!decoder) {
    decoder = new TextDecoder(label);
    decoders.set(label, decoder);
  }
  return decoder;
}

function byteCodes(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}

/** An ISO 8859 part (or TIS 620) in G1: bytes A0H–FFH are its upper half. */
function upperHalf(id: CodeElementId, finalByte: string, label: string): CodeElement {
  return {
    id,
    register: 'G1',
    bytesPerCharacter: 1,
    escape: [0x2d, finalByte.charCodeAt(0)],
    decode: (bytes) => platformDecoder(label).decode(bytes),
  };
}

const withHighBit = (bytes: Uint8Array) => bytes.map((b) => b | 0x80);

export const CODE_ELEMENTS: Record<CodeElementId, CodeElement> = {
  ascii: {
    id: 'ascii',
    register: 'G0',
    bytesPerCharacter: 1,
    escape: [0x28, 0x42], // ESC ( B
    decode: byteCodes,
  },
  // JIS X 0201 Romaji differs from ASCII only at 5CH (yen) and 7EH (overline); they are
  // read as ASCII, as other readers do, so that 5CH keeps separating values.
  'jis-x0201-romaji': {
    id: 'jis-x0201-romaji',
    register: 'G0',
    bytesPerCharacter: 1,
    escape: [0x28, 0x4a], // ESC ( J
    decode: byteCodes,
  },
  'jis-x0201-katakana': {
    id: 'jis-x0201-katakana',
    register: 'G1',
    bytesPerCharacter: 1,
    escape: [0x29, 0x49], // ESC ) I
    // A1H–DFH are the half-width katakana U+FF61–U+FF9F.
    decode: (bytes) =>
      String.fromCharCode(
        ...[...bytes].map((b) => (b >= 0xa1 && b <= 0xdf ? 0xff61 + b - 0xa1 : 0xfffd)),
      ),
  },
  'jis-x0208': {
    id: 'jis-x0208',
    register: 'G0',
    bytesPerCharacter: 2,
    escape: [0x24, 0x42], // ESC $ B
    decode: (bytes) => platformDecoder('euc-jp').decode(withHighBit(bytes)),
  },
  'jis-x0212': {
    id: 'jis-x0212',
    register: 'G0',
    bytesPerCharacter: 2,
    escape: [0x24, 0x28, 0x44], // ESC $ ( D
    decode: (bytes) => {
      const euc = new Uint8Array((bytes.length / 2) * 3);
      for (let i = 0, o = 0; i + 1 < bytes.length; i += 2, o += 3) {
        euc[o] = 0x8f;
        euc[o + 1] = bytes[i]! | 0x80;
        euc[o + 2] = bytes[i + 1]! | 0x80;
      }
      return platformDecoder('euc-jp').decode(euc);
    },
  },
  'ks-x1001': {
    id: 'ks-x1001',
    register: 'G1',
    bytesPerCharacter: 2,
    escape: [0x24, 0x29, 0x43], // ESC $ ) C
    decode: (bytes) => platformDecoder('euc-kr').decode(bytes),
  },
  gb2312: {
    id: 'gb2312',
    register: 'G1',
    bytesPerCharacter: 2,
    escape: [0x24, 0x29, 0x41], // ESC $ ) A
    decode: (bytes) => platformDecoder('gbk').decode(bytes),
  },
  // ISO 8859-1 maps each byte to the code point of the same number; the platform's
  // "latin1" label is windows-1252, which differs in 80H–9FH.
  'latin-1': { ...upperHalf('latin-1', 'A', 'iso-8859-1'), decode: byteCodes },
  'latin-2': upperHalf('latin-2', 'B', 'iso-8859-2'),
  'latin-3': upperHalf('latin-3', 'C', 'iso-8859-3'),
  'latin-4': upperHalf('latin-4', 'D', 'iso-8859-4'),
  cyrillic: upperHalf('cyrillic', 'L', 'iso-8859-5'),
  arabic: upperHalf('arabic', 'G', 'iso-8859-6'),
  greek: upperHalf('greek', 'F', 'iso-8859-7'),
  hebrew: upperHalf('hebrew', 'H', 'iso-8859-8'),
  // The platform's iso-8859-9 and tis-620 are windows-1254 and windows-874, identical
  // to ISO 8859-9 and TIS 620 in A0H–FFH, the only bytes a G1 set is read from.
  'latin-5': upperHalf('latin-5', 'M', 'iso-8859-9'),
  'latin-9': upperHalf('latin-9', 'b', 'iso-8859-15'),
  thai: upperHalf('thai', 'T', 'tis-620'),
};

/** The code element an escape sequence at `offset` (pointing at ESC) designates. */
export function designationAt(
  bytes: Uint8Array,
  offset: number,
): { element: CodeElement; length: number } | undefined {
  for (const element of Object.values(CODE_ELEMENTS)) {
    const { escape } = element;
    if (offset + escape.length >= bytes.length) continue;
    if (escape.every((b, i) => bytes[offset + 1 + i] === b))
      return { element, length: escape.length + 1 };
  }
  return undefined;
}

/** Length of an escape sequence we do not know: ESC, intermediates 20H–2FH, one final byte. */
export function unknownEscapeLength(bytes: Uint8Array, offset: number): number {
  let end = offset + 1;
  while (end < bytes.length && bytes[end]! >= 0x20 && bytes[end]! <= 0x2f) end++;
  return Math.min(bytes.length, end + 1) - offset;
}

/**
 * Decodes the value of a text attribute (SH, LO, ST, LT, UT, PN, UC: the VRs whose
 * repertoire Specific Character Set extends, PS3.5 6.1.2.3) into a string.
 *
 * ISO 2022 values are read byte by byte: ESC sequences designate a new G0 or G1 set, GL
 * bytes come from G0 and GR bytes from G1. The sets of value 1 of (0008,0005) are active
 * again at the start of each value, after each control character, and, in a Person Name,
 * at each "^" and "=" delimiter (PS3.5 6.1.2.5.3); a delimiter is only a delimiter while
 * G0 is a single-byte set, so 5CH inside a JIS X 0208 character does not split the value.
 * UTF-8, GB18030 and GBK values are decoded whole and split afterwards, because 5CH can
 * be the second byte of a GB18030 character.
 */
import type { CharacterSet, CharsetProblem } from './character-set.ts';
import { describeCharacterSet } from './character-set.ts';
import {
  CODE_ELEMENTS,
  designationAt,
  unknownEscapeLength,
  type CodeElement,
} from './code-elements.ts';

export type TextVr = 'SH' | 'LO' | 'ST' | 'LT' | 'UT' | 'PN' | 'UC';
export const TEXT_VRS: ReadonlySet<string> = new Set<TextVr>([
  'SH',
  'LO',
  'ST',
  'LT',
  'UT',
  'PN',
  'UC',
]);
export const isTextVr = (vr: string | undefined): vr is TextVr => !!vr && TEXT_VRS.has(vr);

/** VRs whose values are separated by "\" (ST, LT and UT hold one value that may contain it). */
export const isMultiValuedVr = (vr: TextVr) => vr !== 'ST' && vr !== 'LT' && vr !== 'UT';

const ESC = 0x1b;
const BACKSLASH = 0x5c;
const DELIMITERS: Record<TextVr, ReadonlySet<number>> = {
  PN: new Set([BACKSLASH, 0x3d, 0x5e]),
  SH: new Set([BACKSLASH]),
  LO: new Set([BACKSLASH]),
  UC: new Set([BACKSLASH]),
  ST: new Set(),
  LT: new Set(),
  UT: new Set(),
};

const WHOLE_DECODERS = {
  'utf-8': new TextDecoder('utf-8'),
  gb18030: new TextDecoder('gb18030'),
  gbk: new TextDecoder('gbk'),
};

/** Trailing NUL and space padding (PS3.5 6.2) are not part of the text. */
function withoutPadding(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x00 || bytes[end - 1] === 0x20)) end--;
  return bytes.subarray(0, end);
}

const hex = (b: number) => `${b.toString(16).toUpperCase().padStart(2, '0')}H`;

export function decodeText(
  bytes: Uint8Array,
  set: CharacterSet,
  vr: TextVr,
  report: (problem: CharsetProblem) => void = () => {},
): string {
  const value = withoutPadding(bytes);
  if (set.kind !== 'iso2022') {
    const text = WHOLE_DECODERS[set.kind].decode(value);
    if (text.includes('\ufffd'))
      report({
        code: 'DICOM_CHARSET_INVALID_BYTES',
        message: `has bytes that are not valid ${describeCharacterSet(set)} (shown as \ufffd)`,
      });
    return text;
  }
  return decodeIso2022(value, set, DELIMITERS[vr], report);
}

function decodeIso2022(
  bytes: Uint8Array,
  set: CharacterSet,
  delimiters: ReadonlySet<number>,
  report: (problem: CharsetProblem) => void,
): string {
  const initialG0 = CODE_ELEMENTS[set.initialG0];
  const initialG1 = set.initialG1 ? CODE_ELEMENTS[set.initialG1] : undefined;
  let g0: CodeElement = initialG0;
  let g1: CodeElement | undefined = initialG1;
  let out = '';
  let run: number[] = [];
  let runElement: CodeElement = g0;
  const reported = new Set<string>();
  const problem = (code: CharsetProblem['code'], message: string) => {
    if (reported.has(message)) return;
    reported.add(message);
    report({ code, message });
  };
  const flush = () => {
    if (!run.length) return;
    const text = runElement.decode(Uint8Array.from(run));
    if (text.includes('\ufffd'))
      problem(
        'DICOM_CHARSET_INVALID_BYTES',
        `has bytes that are not valid ${runElement.id} characters (shown as \ufffd)`,
      );
    out += text;
    run = [];
  };
  const take = (element: CodeElement, ...codes: number[]) => {
    if (element !== runElement) flush();
    runElement = element;
    run.push(...codes);
  };
  const literal = (text: string) => {
    flush();
    out += text;
  };

  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === ESC) {
      const designation = designationAt(bytes, i);
      if (!designation) {
        const length = unknownEscapeLength(bytes, i);
        problem(
          'DICOM_CHARSET_INVALID',
          `has an escape sequence no DICOM character set uses (ESC ${[...bytes.subarray(i + 1, i + length)].map(hex).join(' ')}); it is skipped`,
        );
        i += length;
        continue;
      }
      const { element, length } = designation;
      if (!set.declared.has(element.id))
        problem(
          'DICOM_CHARSET_UNDECLARED',
          `switches to ${element.id} by an escape sequence, but Specific Character Set (0008,0005) is ${describeCharacterSet(set)}`,
        );
      if (element.register === 'G0') g0 = element;
      else g1 = element;
      i += length;
      continue;
    }
    if (b < 0x20) {
      // PS3.5 6.1.2.5.3: the initial sets are active again before any control character.
      literal(String.fromCharCode(b));
      g0 = initialG0;
      g1 = initialG1;
      i++;
      continue;
    }
    if (b < 0x80) {
      if (g0.bytesPerCharacter === 2 && b !== 0x20) {
        const next = bytes[i + 1];
        if (next !== undefined && next >= 0x21 && next <= 0x7e && b <= 0x7e) {
          take(g0, b, next);
          i += 2;
        } else {
          literal('\ufffd');
          problem('DICOM_CHARSET_INVALID_BYTES', `has an incomplete ${g0.id} character`);
          i++;
        }
        continue;
      }
      take(g0.bytesPerCharacter === 1 ? g0 : CODE_ELEMENTS.ascii, b);
      if (delimiters.has(b)) {
        g0 = initialG0;
        g1 = initialG1;
      }
      i++;
      continue;
    }
    if (!g1) {
      // Bytes above 7FH with no G1 set declared: Latin-1 is what most writers meant.
      take(CODE_ELEMENTS['latin-1'], b);
      problem(
        'DICOM_CHARSET_UNDECLARED',
        `has bytes above 7FH (${hex(b)}) but Specific Character Set (0008,0005) is ${describeCharacterSet(set)}; read as Latin-1`,
      );
      i++;
      continue;
    }
    if (g1.bytesPerCharacter === 2) {
      const next = bytes[i + 1];
      if (next !== undefined && next >= 0xa1 && next <= 0xfe && b >= 0xa1 && b <= 0xfe) {
        take(g1, b, next);
        i += 2;
      } else {
        literal('\ufffd');
        problem('DICOM_CHARSET_INVALID_BYTES', `has an incomplete ${g1.id} character`);
        i++;
      }
      continue;
    }
    take(g1, b);
    i++;
  }
  flush();
  return out;
}

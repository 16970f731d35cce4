/**
 * Specific Character Set (0008,0005) read into what a decoder needs: which sets are in G0
 * and G1 at the start of every value, and which sets escape sequences may switch to
 * (PS3.3 C.12.1.1.2, PS3.5 6.1.2.5). Values that are not Defined Terms give a problem
 * with a stable code and are read as close to the writer's intent as can be told; an
 * unknown set falls back to Latin-1, never to an exception.
 */
import type { CodeElementId } from './code-elements.ts';
import { lookUpTerm, type TermDefinition } from './terms.ts';

export type CharsetProblemCode =
  | 'DICOM_CHARSET_UNKNOWN'
  | 'DICOM_CHARSET_NONSTANDARD_TERM'
  | 'DICOM_CHARSET_INVALID'
  | 'DICOM_CHARSET_INVALID_BYTES'
  | 'DICOM_CHARSET_UNDECLARED';

export interface CharsetProblem {
  code: CharsetProblemCode;
  message: string;
}

export interface CharacterSet {
  /** (0008,0005) as written, for messages; empty for the default repertoire. */
  terms: string[];
  /** ISO 2022 (including the single-byte sets), or a set decoded whole by the platform. */
  kind: 'iso2022' | 'utf-8' | 'gb18030' | 'gbk';
  initialG0: CodeElementId;
  initialG1?: CodeElementId;
  /** Sets the attribute declares, i.e. those escape sequences may designate. */
  declared: ReadonlySet<CodeElementId>;
  problems: CharsetProblem[];
}

export const DEFAULT_CHARACTER_SET: CharacterSet = {
  terms: [],
  kind: 'iso2022',
  initialG0: 'ascii',
  declared: new Set(['ascii']),
  problems: [],
};

const ATTRIBUTE = 'Specific Character Set (0008,0005)';
const TWO_BYTE_G0 = new Set<CodeElementId>(['jis-x0208', 'jis-x0212']);

function single(definition: TermDefinition, written: string[], problems: CharsetProblem[]) {
  return {
    terms: written,
    kind: definition.whole ?? ('iso2022' as const),
    // A value starts in a single-byte G0 set: delimiters and padding are single bytes.
    initialG0: definition.g0 && !TWO_BYTE_G0.has(definition.g0) ? definition.g0 : 'ascii',
    ...(definition.g1 ? { initialG1: definition.g1 } : {}),
    declared: new Set<CodeElementId>(
      ['ascii', definition.g0, definition.g1].filter((e): e is CodeElementId => Boolean(e)),
    ),
    problems,
  } satisfies CharacterSet;
}

/** `values`: the attribute's values, split at "\" (value 1 may be empty). */
export function readCharacterSet(values: string[]): CharacterSet {
  const written = values.map((v) => v.replace(/\0/g, '').trim());
  while (written.length && written[written.length - 1] === '') written.pop();
  if (written.length === 0) return DEFAULT_CHARACTER_SET;
  const problems: CharsetProblem[] = [];
  const definitions: TermDefinition[] = [];
  written.forEach((value, index) => {
    if (value === '') {
      // PS3.3 C.12.1.1.2: an empty value 1 with code extensions stands for ISO 2022 IR 6.
      if (index === 0) definitions.push(lookUpTerm('ISO 2022 IR 6')!.definition);
      return;
    }
    const found = lookUpTerm(value);
    if (!found) {
      problems.push({
        code: 'DICOM_CHARSET_UNKNOWN',
        message: `${ATTRIBUTE} value "${value}" is not a Defined Term (PS3.3 C.12.1.1.2); ${index === 0 ? 'its text is read as Latin-1 (ISO_IR 100)' : 'escape sequences to it are not understood'}`,
      });
      if (index === 0)
        definitions.push(
          lookUpTerm(written.length > 1 ? 'ISO 2022 IR 100' : 'ISO_IR 100')!.definition,
        );
      return;
    }
    if (!found.exact) {
      problems.push({
        code: 'DICOM_CHARSET_NONSTANDARD_TERM',
        message: `${ATTRIBUTE} value "${value}" is not written as a Defined Term; read as "${found.definition.term}"`,
      });
    }
    definitions.push(found.definition);
  });

  const whole = definitions.find((d) => d.whole);
  if (whole) {
    if (definitions.length > 1) {
      problems.push({
        code: 'DICOM_CHARSET_INVALID',
        message: `${ATTRIBUTE} is "${written.join('\\')}": ${whole.term} allows no code extensions (PS3.3 C.12.1.1.2); every value is read as ${whole.term}`,
      });
    }
    return single(whole, written, problems);
  }
  if (definitions.length === 1) return single(definitions[0]!, written, problems);

  const withoutExtensions = definitions.filter((d) => !d.codeExtensions);
  if (withoutExtensions.length) {
    // "ISO_IR 13\ISO 2022 IR 87" is common and its meaning is clear.
    problems.push({
      code: 'DICOM_CHARSET_NONSTANDARD_TERM',
      message: `${ATTRIBUTE} is "${written.join('\\')}": with more than one value each must be an ISO 2022 term (PS3.3 C.12.1.1.2); ${withoutExtensions.map((d) => d.term).join(', ')} read as the ISO 2022 form`,
    });
  }
  const first = single(definitions[0]!, written, problems);
  const declared = new Set<CodeElementId>(['ascii']);
  for (const d of definitions) {
    if (d.g0) declared.add(d.g0);
    if (d.g1) declared.add(d.g1);
  }
  return { ...first, declared };
}

/** Reads the attribute's raw bytes (its values are always in the default repertoire). */
export function readCharacterSetBytes(bytes: Uint8Array): CharacterSet {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return readCharacterSet(text.split('\\'));
}

export function describeCharacterSet(set: CharacterSet): string {
  return set.terms.length ? set.terms.join('\\') : 'default repertoire (ISO_IR 6)';
}

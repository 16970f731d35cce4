/**
 * The Defined Terms of Specific Character Set (0008,0005), PS3.3 C.12.1.1.2:
 * single-byte sets without code extensions (Table C.12-2), with code extensions
 * (Table C.12-3), multi-byte sets with code extensions (Table C.12-4) and without them
 * (Table C.12-5). Each term names the code elements it puts in G0 and G1.
 */
import type { CodeElementId } from './code-elements.ts';

export interface TermDefinition {
  term: string;
  /** ISO 2022 terms may be combined with others in one multi-valued attribute. */
  codeExtensions: boolean;
  g0?: CodeElementId;
  g1?: CodeElementId;
  /** Sets that are not ISO 2022 at all: the whole value is decoded by the platform. */
  whole?: 'utf-8' | 'gb18030' | 'gbk';
}

const SINGLE_BYTE: [number, CodeElementId][] = [
  [100, 'latin-1'],
  [101, 'latin-2'],
  [109, 'latin-3'],
  [110, 'latin-4'],
  [144, 'cyrillic'],
  [127, 'arabic'],
  [126, 'greek'],
  [138, 'hebrew'],
  [148, 'latin-5'],
  [203, 'latin-9'],
  [166, 'thai'],
];

function defineTerms(): Map<string, TermDefinition> {
  const terms: TermDefinition[] = [
    { term: 'ISO_IR 6', codeExtensions: false, g0: 'ascii' },
    { term: 'ISO 2022 IR 6', codeExtensions: true, g0: 'ascii' },
    { term: 'ISO_IR 13', codeExtensions: false, g0: 'jis-x0201-romaji', g1: 'jis-x0201-katakana' },
    {
      term: 'ISO 2022 IR 13',
      codeExtensions: true,
      g0: 'jis-x0201-romaji',
      g1: 'jis-x0201-katakana',
    },
    { term: 'ISO 2022 IR 87', codeExtensions: true, g0: 'jis-x0208' },
    { term: 'ISO 2022 IR 159', codeExtensions: true, g0: 'jis-x0212' },
    { term: 'ISO 2022 IR 149', codeExtensions: true, g1: 'ks-x1001' },
    { term: 'ISO 2022 IR 58', codeExtensions: true, g1: 'gb2312' },
    { term: 'ISO_IR 192', codeExtensions: false, whole: 'utf-8' },
    { term: 'GB18030', codeExtensions: false, whole: 'gb18030' },
    { term: 'GBK', codeExtensions: false, whole: 'gbk' },
  ];
  for (const [ir, g1] of SINGLE_BYTE) {
    terms.push({ term: `ISO_IR ${ir}`, codeExtensions: false, g0: 'ascii', g1 });
    terms.push({ term: `ISO 2022 IR ${ir}`, codeExtensions: true, g0: 'ascii', g1 });
  }
  return new Map(terms.map((t) => [t.term, t]));
}

export const DEFINED_TERMS: ReadonlyMap<string, TermDefinition> = defineTerms();

/** Names other systems write for a defined term (seen in files from the field). */
const ALIASES: Record<string, string> = {
  'UTF-8': 'ISO_IR 192',
  UTF8: 'ISO_IR 192',
  'ISO-8859-1': 'ISO_IR 100',
  LATIN1: 'ISO_IR 100',
  GB2312: 'ISO 2022 IR 58',
  'EUC-KR': 'ISO 2022 IR 149',
  'KS_C_5601-1987': 'ISO 2022 IR 149',
};

/**
 * The defined term a written value stands for: exact, or a recognisable misspelling
 * ("ISO_IR100", "ISO-IR 192", "iso 2022 ir 149", "UTF-8"). Undefined when unknown.
 */
export function lookUpTerm(
  written: string,
): { definition: TermDefinition; exact: boolean } | undefined {
  const exact = DEFINED_TERMS.get(written);
  if (exact) return { definition: exact, exact: true };
  const upper = written.trim().toUpperCase();
  const alias = ALIASES[upper];
  if (alias) return { definition: DEFINED_TERMS.get(alias)!, exact: false };
  const match = /^ISO[\s_-]*(2022)?[\s_-]*IR[\s_-]*(\d+)$/.exec(upper);
  if (match) {
    const term = match[1] ? `ISO 2022 IR ${match[2]}` : `ISO_IR ${match[2]}`;
    const definition = DEFINED_TERMS.get(term);
    // "ISO_IR 87" and the like: only the ISO 2022 form exists for these sets.
    const other = DEFINED_TERMS.get(match[1] ? `ISO_IR ${match[2]}` : `ISO 2022 IR ${match[2]}`);
    if (definition ?? other) return { definition: (definition ?? other)!, exact: false };
  }
  if (upper === 'GB18030' || upper === 'GBK')
    return { definition: DEFINED_TERMS.get(upper)!, exact: false };
  return undefined;
}

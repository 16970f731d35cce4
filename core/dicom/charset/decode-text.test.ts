/**
 * Specific Character Set decoding against the byte examples of PS3.5 Annex H (Japanese),
 * Annex I (Korean), Annex J (UTF-8, GB18030, GBK) and Annex K (Chinese with code
 * extensions, ISO 2022 IR 58), and one name per single-byte set.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCharacterSet, type CharsetProblem } from './character-set.ts';
import { decodeText, type TextVr } from './decode-text.ts';
import { displayPersonName, personNameGroups } from './person-name.ts';

const ESC = 0x1b;
/** Bytes from ASCII strings and byte arrays, as the examples write them. */
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );
const esc = (...sequence: string[]) => [
  ESC,
  ...sequence
    .join('')
    .split('')
    .map((c) => c.charCodeAt(0)),
];

function decode(value: Uint8Array, terms: string[], vr: TextVr = 'PN') {
  const problems: CharsetProblem[] = [];
  const set = readCharacterSet(terms);
  const text = decodeText(value, set, vr, (p) => problems.push(p));
  return { text, problems: [...set.problems, ...problems] };
}

test('Annex H example 1: ISO 2022 IR 87, JIS X 0208 in G0 with ESC $ B / ESC ( B', () => {
  const value = bytes(
    'Yamada^Tarou=',
    [...esc('$B'), 0x3b, 0x33, 0x45, 0x44, ...esc('(B')],
    '^',
    [...esc('$B'), 0x42, 0x40, 0x4f, 0x3a, ...esc('(B')],
    '=',
    [...esc('$B'), 0x24, 0x64, 0x24, 0x5e, 0x24, 0x40, ...esc('(B')],
    '^',
    [...esc('$B'), 0x24, 0x3f, 0x24, 0x6d, 0x24, 0x26, ...esc('(B')],
  );
  const { text, problems } = decode(value, ['', 'ISO 2022 IR 87']);
  assert.equal(text, 'Yamada^Tarou=山田^太郎=やまだ^たろう');
  assert.deepEqual(problems, []);
  assert.deepEqual(personNameGroups(text), {
    alphabetic: 'Yamada^Tarou',
    ideographic: '山田^太郎',
    phonetic: 'やまだ^たろう',
  });
});

test('Annex H example 2: ISO 2022 IR 13 (half-width katakana) with IR 87, ESC ( J restoring G0', () => {
  const value = bytes(
    [0xd4, 0xcf, 0xc0, 0xde],
    '^',
    [0xc0, 0xdb, 0xb3],
    '=',
    [...esc('$B'), 0x3b, 0x33, 0x45, 0x44, ...esc('(J')],
    '^',
    [...esc('$B'), 0x42, 0x40, 0x4f, 0x3a, ...esc('(J')],
    '=',
    [...esc('$B'), 0x24, 0x64, 0x24, 0x5e, 0x24, 0x40, ...esc('(J')],
    '^',
    [...esc('$B'), 0x24, 0x3f, 0x24, 0x6d, 0x24, 0x26, ...esc('(J')],
  );
  const { text, problems } = decode(value, ['ISO 2022 IR 13', 'ISO 2022 IR 87']);
  assert.equal(text, 'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう');
  assert.deepEqual(problems, []);
});

test('JIS X 0212 (ISO 2022 IR 159) via ESC $ ( D', () => {
  const value = bytes([...esc('$(D'), 0x30, 0x21, ...esc('(B')], 'A');
  const { text, problems } = decode(value, ['', 'ISO 2022 IR 87', 'ISO 2022 IR 159']);
  assert.equal(text, '丂A');
  assert.deepEqual(problems, []);
});

test('Annex I: ISO 2022 IR 149 person name, G1 designation repeated after each delimiter', () => {
  const value = bytes(
    'Hong^Gildong=',
    [...esc('$)C'), 0xfb, 0xf3],
    '^',
    [...esc('$)C'), 0xd1, 0xce, 0xd4, 0xd7],
    '=',
    [...esc('$)C'), 0xc8, 0xab],
    '^',
    [...esc('$)C'), 0xb1, 0xe6, 0xb5, 0xbf],
  );
  const { text, problems } = decode(value, ['', 'ISO 2022 IR 149']);
  assert.equal(text, 'Hong^Gildong=洪^吉洞=홍^길동');
  assert.deepEqual(problems, []);
  assert.equal(displayPersonName(text), 'Hong Gildong=洪 吉洞=홍 길동');
});

test('Annex I: Korean long text over several lines', () => {
  const korean = [...esc('$)C'), 0xc7, 0xd1, 0xb1, 0xb9, 0xbe, 0xee];
  const value = bytes(
    'The 1st line includes ',
    korean,
    '.\r\nThe 2nd line includes ',
    korean,
    ', too.\r\nThe 3rd line.',
  );
  const { text } = decode(value, ['', 'ISO 2022 IR 149'], 'LT');
  assert.equal(
    text,
    'The 1st line includes 한국어.\r\nThe 2nd line includes 한국어, too.\r\nThe 3rd line.',
  );
});

test('a Korean value without its escape sequence still decodes when value 1 is IR 149', () => {
  const { text } = decode(bytes([0xc8, 0xab, 0xb1, 0xe6, 0xb5, 0xbf]), ['ISO 2022 IR 149']);
  assert.equal(text, '홍길동');
});

const wangGb = bytes('Wang^XiaoDong=', [0xcd, 0xf5], '^', [0xd0, 0xa1, 0xb6, 0xab], '=');

test('Annex J: GB18030 and GBK person names', () => {
  assert.equal(decode(wangGb, ['GB18030']).text, 'Wang^XiaoDong=王^小东=');
  assert.equal(decode(wangGb, ['GBK']).text, 'Wang^XiaoDong=王^小东=');
});

test('Annex J: GB18030 long text, including a four-byte character', () => {
  const line = (n: number[]) => [0xb5, 0xda, ...n, 0xd0, 0xd0, 0xce, 0xc4, 0xd7, 0xd6, 0xa1, 0xa3];
  const value = bytes(
    line([0xd2, 0xbb]),
    '\r\n',
    line([0xb6, 0xfe]),
    '\r\n',
    [0x81, 0x30, 0x81, 0x30],
  );
  assert.equal(decode(value, ['GB18030'], 'LT').text, '第一行文字。\r\n第二行文字。\r\n\u0080');
});

test('Annex K: ISO 2022 IR 58 (GB 2312 in G1)', () => {
  const value = bytes(
    'Zhang^XiaoDong=',
    [...esc('$)A'), 0xd5, 0xc5],
    '^',
    [...esc('$)A'), 0xd0, 0xa1, 0xb6, 0xab],
    '=',
  );
  const { text, problems } = decode(value, ['', 'ISO 2022 IR 58']);
  assert.equal(text, 'Zhang^XiaoDong=张^小东=');
  assert.deepEqual(problems, []);
});

test('Annex J: UTF-8 (ISO_IR 192)', () => {
  const value = bytes(
    'Wang^XiaoDong=',
    [0xe7, 0x8e, 0x8b],
    '^',
    [0xe5, 0xb0, 0x8f, 0xe6, 0x9d, 0xb1],
    '=',
  );
  const { text, problems } = decode(value, ['ISO_IR 192']);
  assert.equal(text, 'Wang^XiaoDong=王^小東=');
  assert.deepEqual(problems, []);
  assert.deepEqual(personNameGroups(text), {
    alphabetic: 'Wang^XiaoDong',
    ideographic: '王^小東',
    phonetic: '',
  });
});

const SINGLE_BYTE_NAMES: [string, number[], string][] = [
  ['ISO_IR 100', [0x42, 0x75, 0x63, 0x5e, 0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65], 'Buc^Jérôme'],
  [
    'ISO_IR 100',
    [0xc4, 0x6e, 0x65, 0x61, 0x73, 0x5e, 0x52, 0xfc, 0x64, 0x69, 0x67, 0x65, 0x72],
    'Äneas^Rüdiger',
  ],
  ['ISO_IR 101', [0x44, 0x76, 0x6f, 0xf8, 0xe1, 0x6b, 0x5e, 0xa3, 0xf3, 0x64, 0xbc], 'Dvořák^Łódź'],
  ['ISO_IR 109', [0xa1, 0x61, 0x6c, 0x5e, 0xd5, 0x6f, 0x72, 0xf5], 'Ħal^Ġorġ'],
  ['ISO_IR 110', [0xe0, 0x5e, 0xaa, 0x5e, 0xf3], 'ā^Ē^ķ'],
  ['ISO_IR 126', [0xc4, 0xe9, 0xef, 0xed, 0xf5, 0xf3, 0xe9, 0xef, 0xf2], 'Διονυσιος'],
  ['ISO_IR 144', [0xbb, 0xee, 0xda, 0x63, 0x65, 0xdc, 0xd1, 0x79, 0x70, 0xd3], 'Люкceмбypг'],
  ['ISO_IR 127', [0xe2, 0xc8, 0xc7, 0xe6, 0xea, 0x5e, 0xe4, 0xe6, 0xd2, 0xc7, 0xd1], 'قباني^لنزار'],
  ['ISO_IR 138', [0xf9, 0xf8, 0xe5, 0xef, 0x5e, 0xe3, 0xe1, 0xe5, 0xf8, 0xe4], 'שרון^דבורה'],
  [
    'ISO_IR 148',
    [0xd6, 0x7a, 0x74, 0xfc, 0x72, 0x6b, 0x5e, 0xde, 0xfc, 0x6b, 0x72, 0xfc],
    'Öztürk^Şükrü',
  ],
  ['ISO_IR 203', [0xa4, 0x20, 0xbc, 0x75, 0x76, 0x72, 0x65], '€ Œuvre'],
  ['ISO_IR 166', [0xbb, 0xc3, 0xd0, 0xe0, 0xb7, 0xc8, 0xe4, 0xb7, 0xc2], 'ประเทศไทย'],
  ['ISO_IR 13', [0xd4, 0xcf, 0xc0, 0xde, 0x5e, 0xc0, 0xdb, 0xb3], 'ﾔﾏﾀﾞ^ﾀﾛｳ'],
];

for (const [term, value, expected] of SINGLE_BYTE_NAMES) {
  test(`${term}: ${expected}`, () => {
    const { text, problems } = decode(Uint8Array.from(value), [term]);
    assert.equal(text, expected);
    assert.deepEqual(problems, []);
    // The ISO 2022 form of the same set reads the same bytes identically.
    assert.equal(
      decode(Uint8Array.from(value), [term.replace('ISO_IR', 'ISO 2022 IR')]).text,
      expected,
    );
  });
}

test('ISO 2022 single-byte sets: ESC - F switches G1 to Greek; "=" restores Latin-1', () => {
  const value = bytes(
    'M',
    [0xfc],
    'ller',
    [...esc('-F'), 0xcc, 0xfd, 0xeb, 0xeb, 0xe5, 0xf1],
    '=',
    [0xe9],
  );
  const { text, problems } = decode(value, ['ISO 2022 IR 100', 'ISO 2022 IR 126']);
  assert.equal(text, 'MüllerΜύλλερ=é');
  assert.deepEqual(problems, []);
});

test('5CH inside a JIS X 0208 character does not split an LO value; "\\" between values does', () => {
  const value = bytes([...esc('$B'), 0x30, 0x5c, ...esc('(B')], '\\B');
  const text = decode(value, ['', 'ISO 2022 IR 87'], 'LO').text;
  const values = text.split('\\');
  assert.equal(values.length, 2);
  assert.equal([...values[0]!].length, 1);
  assert.notEqual(values[0], '\\');
  assert.equal(values[1], 'B');
});

test('a GB18030 character whose second byte is 5CH stays one character', () => {
  const text = decode(bytes([0x81, 0x5c], '\\B'), ['GB18030'], 'LO').text;
  assert.deepEqual(
    text.split('\\').map((v) => [...v].length),
    [1, 1],
  );
});

test('only the first value of a multi-valued set applies at the start of each value', () => {
  const value = bytes([...esc('-F'), 0xe1], '\\', [0xe1]);
  assert.equal(decode(value, ['ISO 2022 IR 100', 'ISO 2022 IR 126'], 'LO').text, 'α\\á');
});

test('unknown and misspelt terms give a coded warning and never throw', () => {
  const unknown = decode(bytes([0x4d, 0xfc]), ['KLINGON']);
  assert.equal(unknown.text, 'Mü', 'falls back to Latin-1');
  assert.deepEqual(
    unknown.problems.map((p) => p.code),
    ['DICOM_CHARSET_UNKNOWN'],
  );
  const misspelt = decode(bytes([0xc3, 0xbc]), ['ISO-IR 192']);
  assert.equal(misspelt.text, 'ü');
  assert.deepEqual(
    misspelt.problems.map((p) => p.code),
    ['DICOM_CHARSET_NONSTANDARD_TERM'],
  );
  assert.equal(decode(bytes([0xc3, 0xbc]), ['UTF-8']).text, 'ü');
  const extended = decode(bytes([0xc3, 0xbc]), ['ISO_IR 192', 'ISO 2022 IR 87']);
  assert.equal(extended.text, 'ü');
  assert.deepEqual(
    extended.problems.map((p) => p.code),
    ['DICOM_CHARSET_INVALID'],
  );
});

test('"ISO_IR 13\\ISO 2022 IR 87" (value 1 without the ISO 2022 prefix) decodes as intended', () => {
  const value = bytes([0xd4, 0xcf, 0xc0, 0xde], '=', [
    ...esc('$B'),
    0x3b,
    0x33,
    0x45,
    0x44,
    ...esc('(J'),
  ]);
  const { text, problems } = decode(value, ['ISO_IR 13', 'ISO 2022 IR 87']);
  assert.equal(text, 'ﾔﾏﾀﾞ=山田');
  assert.deepEqual(
    problems.map((p) => p.code),
    ['DICOM_CHARSET_NONSTANDARD_TERM'],
  );
});

test('bytes outside the declared set are flagged', () => {
  const latin1 = decode(bytes('M', [0xfc], 'ller'), []);
  assert.equal(latin1.text, 'Müller', 'no set declared: high bytes read as Latin-1');
  assert.deepEqual(
    latin1.problems.map((p) => p.code),
    ['DICOM_CHARSET_UNDECLARED'],
  );
  const badUtf8 = decode(bytes('M', [0xfc], 'ller'), ['ISO_IR 192']);
  assert.equal(badUtf8.text, 'M\ufffdller');
  assert.deepEqual(
    badUtf8.problems.map((p) => p.code),
    ['DICOM_CHARSET_INVALID_BYTES'],
  );
  const undeclaredEscape = decode(bytes([...esc('$)C'), 0xc8, 0xab]), ['ISO_IR 100']);
  assert.equal(undeclaredEscape.text, '홍', 'decoded anyway');
  assert.deepEqual(
    undeclaredEscape.problems.map((p) => p.code),
    ['DICOM_CHARSET_UNDECLARED'],
  );
  const truncated = decode(bytes([...esc('$)C'), 0xc8]), ['', 'ISO 2022 IR 149']);
  assert.equal(truncated.text, '\ufffd');
  assert.deepEqual(
    truncated.problems.map((p) => p.code),
    ['DICOM_CHARSET_INVALID_BYTES'],
  );
});

test('padding is dropped and random bytes never throw in any set', () => {
  assert.equal(decode(bytes('Doe^John', [0x20, 0x00]), ['ISO_IR 100']).text, 'Doe^John');
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
  const terms = [
    [],
    ['ISO_IR 100'],
    ['ISO_IR 192'],
    ['GB18030'],
    ['GBK'],
    ['ISO_IR 13'],
    ['', 'ISO 2022 IR 87', 'ISO 2022 IR 159'],
    ['', 'ISO 2022 IR 149'],
    ['', 'ISO 2022 IR 58'],
    ['ISO 2022 IR 100', 'ISO 2022 IR 126', 'ISO 2022 IR 166'],
  ];
  for (const set of terms) {
    for (let n = 0; n < 100; n++) {
      const value = Uint8Array.from({ length: random() % 40 }, () =>
        random() % 5 === 0 ? ESC : random() % 256,
      );
      for (const vr of ['PN', 'LO', 'UT'] as const)
        assert.equal(typeof decode(value, set, vr).text, 'string');
    }
  }
});

/**
 * How camera exports and clinics name the eye, defined once for the import (core/library)
 * and the import table in the page:
 *   words    — OD/OS (oculus dexter/sinister), R/L, right/left, RE/LE;
 *   file names — tokens such as `_OD_` or `R.jpg` that a site's camera or habit puts in the
 *              name. Sites differ, so the tokens are configurable; the defaults cover the
 *              common exports (RetCam-style `_OD_`, CHASE-style `01R.jpg`).
 * Pure: no Node, no DOM.
 */
import type { Eye } from './visit.ts';

/** "OD", "OS", "R", "L", "RE", "LE", "right", "left" → OD/OS; anything else → undefined. */
export function parseEye(value: string): Eye | undefined {
  const v = value.trim().toUpperCase();
  if (v === 'OD' || v === 'R' || v === 'RE' || v === 'RIGHT') return 'OD';
  if (v === 'OS' || v === 'L' || v === 'LE' || v === 'LEFT') return 'OS';
  return undefined;
}

export interface EyeNamePatterns {
  OD: string[];
  OS: string[];
}

const EXTENSIONS = ['jpg', 'jpeg', 'png', 'tif', 'tiff'];

export const DEFAULT_EYE_NAME_PATTERNS: EyeNamePatterns = {
  OD: ['_OD_', '_OD.', '-OD-', '-OD.', ' OD ', 'right', ...EXTENSIONS.map((e) => `R.${e}`)],
  OS: ['_OS_', '_OS.', '-OS-', '-OS.', ' OS ', 'left', ...EXTENSIONS.map((e) => `L.${e}`)],
};

const isLetter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);

/**
 * Whether `token` occurs in `name` (case-insensitive) as a token: where the token begins or
 * ends with a letter, the name must not continue with a letter there, so `R.jpg` matches
 * `Image_01R.jpg` but not `DOCTOR.jpg`, and `right` matches `eye_right.png` but not
 * `bright.png`.
 */
export function nameHasToken(name: string, token: string): boolean {
  const n = name.toLowerCase();
  const t = token.toLowerCase();
  if (!t) return false;
  for (let at = n.indexOf(t); at >= 0; at = n.indexOf(t, at + 1)) {
    const before = !isLetter(t[0]) || !isLetter(n[at - 1]);
    const after = !isLetter(t[t.length - 1]) || !isLetter(n[at + t.length]);
    if (before && after) return true;
  }
  return false;
}

/** The file's own name, without folders. */
export function baseFileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * The eye a file name gives, with the token that gave it; undefined when no token matches
 * or tokens of both eyes do (a name like `OD_vs_OS.jpg` decides nothing).
 */
export function eyeFromFileName(
  path: string,
  patterns: EyeNamePatterns = DEFAULT_EYE_NAME_PATTERNS,
): { eye: Eye; token: string } | undefined {
  const name = baseFileName(path);
  const od = patterns.OD.find((t) => nameHasToken(name, t));
  const os = patterns.OS.find((t) => nameHasToken(name, t));
  if (od && !os) return { eye: 'OD', token: od };
  if (os && !od) return { eye: 'OS', token: os };
  return undefined;
}

/** "_OD_, R.jpg" → ['_OD_', 'R.jpg']: how the patterns are typed in a settings field. */
export function parsePatternList(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Patterns given as text per eye (`--od-names "_OD_, R.jpg"`); an eye left out keeps the defaults. */
export function eyeNamePatternsFrom(text: { OD?: string; OS?: string }): EyeNamePatterns {
  return {
    OD: text.OD === undefined ? DEFAULT_EYE_NAME_PATTERNS.OD : parsePatternList(text.OD),
    OS: text.OS === undefined ? DEFAULT_EYE_NAME_PATTERNS.OS : parsePatternList(text.OS),
  };
}

/**
 * The eye named in free text (an EXIF image description or comment: "OD", "left eye",
 * "Right"): one eye's words only, else undefined.
 */
export function eyeFromText(text: string): Eye | undefined {
  const words = text.toUpperCase().split(/[^\p{L}]+/u);
  const od = words.some((w) => w === 'OD' || w === 'RIGHT');
  const os = words.some((w) => w === 'OS' || w === 'LEFT');
  return od === os ? undefined : od ? 'OD' : 'OS';
}

/**
 * One place where an untrusted name (an input file's name, a zip entry, a name inside a
 * package) becomes part of a path we write or remove. A name is reduced to a single,
 * ordinary path segment: no separators, no leading dots (so never `.` or `..`), no
 * characters outside a portable set, no Windows device names, bounded length. Callers then
 * join it under a folder they chose; `pathInside` checks that for relative paths.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_LENGTH = 120;

/** A single safe path segment derived from `untrusted`; `fallback` when nothing usable is left. */
export function safeFileName(untrusted: string, fallback = 'file'): string {
  const last = untrusted.split(/[\\/]/).pop() ?? '';
  let name = last
    .normalize('NFC')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[.]+/, '')
    .replace(/[. ]+$/, '')
    .slice(0, MAX_LENGTH);
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  return name || fallback;
}

/**
 * `folder` joined with an untrusted relative path (e.g. a zip entry such as `a/b.dcm`), or
 * undefined when the result would not lie strictly inside `folder` (absolute names, `..`).
 */
export function pathInside(folder: string, untrustedRelative: string): string | undefined {
  if (isAbsolute(untrustedRelative) || /^[A-Za-z]:/.test(untrustedRelative)) return undefined;
  const root = resolve(folder);
  const path = resolve(root, untrustedRelative);
  const rel = relative(root, path);
  if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..'))
    return undefined;
  return path;
}

/**
 * Zip archives (how regional sites often send a batch) read with limits that stop a
 * malicious or broken archive from exhausting memory ("zip bomb").
 *
 * The central directory is read first: entry count, names, declared sizes and where each
 * entry's data lies. Everything that can be decided from it is decided before a byte is
 * inflated: too many entries, a total or a compression ratio over the limit, overlapping
 * entries, unsafe or duplicate names. Each entry is then inflated with its declared size
 * as a hard ceiling (zlib's maxOutputLength), so an entry that lies about its size is cut
 * off, not expanded; its size and CRC-32 are checked against the directory.
 *
 * One ArchiveBudget covers a whole call (every archive of an import, and zips nested inside
 * them): total expanded bytes, entries, nesting depth. Callers may pass their own; without
 * one, all expansions in the same synchronous stretch of code share one (an import call
 * expands all of its archives in one such stretch), so two bombs in one call do not get
 * two budgets.
 */
import { resolve } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { pathInside } from '../security/safe-file-name.ts';
import { formatBytes } from '../dicom/errors.ts';
import { ImportError } from './import-errors.ts';

export interface ArchiveLimits {
  /** Expanded bytes, all archives of one call together (nested ones included). */
  maxTotalBytes: number;
  /** Central-directory entries, all archives of one call together. */
  maxEntries: number;
  /** Expanded : compressed, for every entry and for each archive as a whole… */
  maxRatio: number;
  /** …once the entry (or the archive) expands to more than this. */
  ratioFloorBytes: number;
  /** 1: zips inside the archive are left as files; 2: one level of zips inside is expanded. */
  maxDepth: number;
}

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxTotalBytes: 2 * 1024 ** 3,
  maxEntries: 10_000,
  maxRatio: 200,
  ratioFloorBytes: 64 * 1024,
  maxDepth: 2,
});

/** Kept for callers that quote the limits. */
export const MAX_ARCHIVE_EXPANDED_BYTES = DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;
export const MAX_ARCHIVE_RATIO = DEFAULT_ARCHIVE_LIMITS.maxRatio;

/**
 * The limits in force: the defaults, with NEOSCOPE_ARCHIVE_MAX_BYTES and
 * NEOSCOPE_ARCHIVE_MAX_ENTRIES (positive integers) overriding the totals.
 */
export function archiveLimits(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ArchiveLimits> = {},
): ArchiveLimits {
  const fromEnv = (name: string): number | undefined => {
    const value = Number(env[name]);
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  };
  return {
    ...DEFAULT_ARCHIVE_LIMITS,
    ...(fromEnv('NEOSCOPE_ARCHIVE_MAX_BYTES') !== undefined
      ? { maxTotalBytes: fromEnv('NEOSCOPE_ARCHIVE_MAX_BYTES')! }
      : {}),
    ...(fromEnv('NEOSCOPE_ARCHIVE_MAX_ENTRIES') !== undefined
      ? { maxEntries: fromEnv('NEOSCOPE_ARCHIVE_MAX_ENTRIES')! }
      : {}),
    ...overrides,
  };
}

/** What one call may still expand. Reserve before inflating; a refusal names the archive. */
export class ArchiveBudget {
  readonly limits: ArchiveLimits;
  bytes = 0;
  entries = 0;

  constructor(limits: Partial<ArchiveLimits> = {}) {
    this.limits = archiveLimits(process.env, limits);
  }

  reserve(archiveName: string, entries: number, bytes: number): void {
    const { maxEntries, maxTotalBytes } = this.limits;
    if (this.entries + entries > maxEntries) {
      throw new ImportError(
        'IMPORT_ARCHIVE_TOO_LARGE',
        `${archiveName} holds ${entries.toLocaleString('en')} entries; with ${this.entries.toLocaleString('en')} already expanded in this import that is over the limit of ${maxEntries.toLocaleString('en')}`,
        archiveName,
      );
    }
    if (this.bytes + bytes > maxTotalBytes) {
      throw new ImportError(
        'IMPORT_ARCHIVE_TOO_LARGE',
        `${archiveName} declares ${formatBytes(bytes)} bytes expanded; with ${formatBytes(this.bytes)} already expanded in this import that is over the ${formatBytes(maxTotalBytes)}-byte limit`,
        archiveName,
      );
    }
    this.entries += entries;
    this.bytes += bytes;
  }
}

let ambient: ArchiveBudget | undefined;

/** The budget shared by every expansion in the current synchronous stretch of code. */
function ambientBudget(): ArchiveBudget {
  if (!ambient) {
    ambient = new ArchiveBudget();
    queueMicrotask(() => (ambient = undefined));
  }
  return ambient;
}

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 0x03 || bytes[2] === 0x05) &&
    (bytes[3] === 0x04 || bytes[3] === 0x06)
  );
}

/** One central-directory record, with the data range checked against its local header. */
export interface ZipEntry {
  /** The name exactly as stored (not cleaned: callers decide what a name may be). */
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  /** Declared expanded size. */
  size: number;
  localOffset: number;
  dataOffset: number;
}

const unreadable = (archiveName: string, why: string) =>
  new ImportError(
    'IMPORT_ARCHIVE_UNREADABLE',
    `zip archive ${archiveName} cannot be read: ${why}`,
    archiveName,
  );

/**
 * The central directory of `bytes`, without inflating anything. Refuses a damaged or
 * truncated archive, one with more than `maxEntries` entries, encrypted or multi-disk
 * archives, entries whose data overlaps another's or lies outside the file, and entries
 * whose local header names another file.
 */
export function readZipDirectory(
  bytes: Uint8Array,
  archiveName: string,
  options: { maxEntries?: number } = {},
): ZipEntry[] {
  const maxEntries = options.maxEntries ?? archiveLimits().maxEntries;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => {
    const value = view.getUint32(at + 4, true) * 2 ** 32 + view.getUint32(at, true);
    if (!Number.isSafeInteger(value))
      throw unreadable(archiveName, 'a zip64 field is out of range');
    return value;
  };
  const inside = (at: number, length: number) =>
    at >= 0 && length >= 0 && at + length <= bytes.length;

  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === 0x06054b50 && at + 22 + u16(at + 20) === bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw unreadable(archiveName, 'no end-of-archive record (truncated or not a zip)');
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0)
    throw unreadable(archiveName, 'multi-part (spanned) archives are not supported');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== 0x07064b50)
      throw unreadable(archiveName, 'zip64 archive without its zip64 locator');
    const record = u64(locator + 8);
    if (!inside(record, 56) || u32(record) !== 0x06064b50)
      throw unreadable(archiveName, 'zip64 end record missing or damaged');
    count = u64(record + 32);
    cdSize = u64(record + 40);
    cdOffset = u64(record + 48);
  }
  if (count > maxEntries) {
    throw new ImportError(
      'IMPORT_ARCHIVE_TOO_LARGE',
      `${archiveName} holds ${count.toLocaleString('en')} entries, over the limit of ${maxEntries.toLocaleString('en')}`,
      archiveName,
    );
  }
  if (!inside(cdOffset, cdSize) || cdOffset + cdSize > eocd || count * 46 > cdSize)
    throw unreadable(archiveName, 'the central directory lies outside the file');

  const utf8 = new TextDecoder('utf-8');
  const latin1 = new TextDecoder('latin1');
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (!inside(at, 46) || u32(at) !== 0x02014b50)
      throw unreadable(archiveName, `central directory record ${i + 1} is damaged`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    if (!inside(at + 46, nameLength + extraLength + commentLength))
      throw unreadable(archiveName, `central directory record ${i + 1} is truncated`);
    const rawName = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = (flags & 0x800 ? utf8 : latin1).decode(rawName);
    let compressedSize = u32(at + 20);
    let size = u32(at + 24);
    let localOffset = u32(at + 42);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      let found = false;
      for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength;) {
        const id = u16(x);
        const length = u16(x + 2);
        if (id === 0x0001) {
          let f = x + 4;
          const end = f + length;
          const next = () => {
            if (f + 8 > end) throw unreadable(archiveName, `${name}: zip64 sizes missing`);
            const v = u64(f);
            f += 8;
            return v;
          };
          if (size === 0xffffffff) size = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localOffset === 0xffffffff) localOffset = next();
          found = true;
          break;
        }
        x += 4 + length;
      }
      if (!found) throw unreadable(archiveName, `${name}: zip64 sizes missing`);
    }
    if (u16(at + 34) !== 0)
      throw unreadable(archiveName, 'multi-part (spanned) archives are not supported');
    if (flags & 0x41) throw unreadable(archiveName, `${name} is encrypted`);
    if (method !== 0 && method !== 8)
      throw unreadable(
        archiveName,
        `${name} uses compression method ${method}; only stored and deflated entries are read`,
      );
    if (method === 0 && compressedSize !== size)
      throw unreadable(archiveName, `${name} is stored but its sizes differ`);
    if (!inside(localOffset, 30) || u32(localOffset) !== 0x04034b50)
      throw unreadable(archiveName, `${name}: local header missing (damaged or truncated)`);
    const localNameLength = u16(localOffset + 26);
    const dataOffset = localOffset + 30 + localNameLength + u16(localOffset + 28);
    if (
      !inside(localOffset + 30, localNameLength) ||
      !sameBytes(bytes.subarray(localOffset + 30, localOffset + 30 + localNameLength), rawName)
    ) {
      throw unreadable(archiveName, `${name}: the local header names another file`);
    }
    if (!inside(dataOffset, compressedSize) || dataOffset + compressedSize > cdOffset)
      throw unreadable(archiveName, `${name}: data runs past the end of the file (truncated)`);
    entries.push({
      name,
      method,
      flags,
      crc: u32(at + 16),
      compressedSize,
      size,
      localOffset,
      dataOffset,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1]!;
    if (previous.dataOffset + previous.compressedSize > byOffset[i]!.localOffset)
      throw unreadable(archiveName, `entries ${previous.name} and ${byOffset[i]!.name} overlap`);
  }
  return entries;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One entry's expanded bytes, never more than `maxBytes` (default: its declared size) and
 * exactly its declared size with a matching CRC-32, or an error. Stored entries come back
 * as a view of `bytes` unless `copy` is set.
 */
export function readZipEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  archiveName: string,
  options: { maxBytes?: number; copy?: boolean } = {},
): Uint8Array {
  const limit = Math.min(options.maxBytes ?? entry.size, entry.size);
  if (entry.size > limit)
    throw new ImportError(
      'IMPORT_ARCHIVE_TOO_LARGE',
      `${archiveName}: ${entry.name} declares ${formatBytes(entry.size)} bytes, over ${formatBytes(limit)}`,
      archiveName,
    );
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) data = options.copy ? new Uint8Array(raw) : raw;
  else {
    try {
      // maxOutputLength + 1: one byte over the declared size is enough to know it lied.
      const inflated = inflateRawSync(raw, { maxOutputLength: Math.max(1, limit + 1) });
      // A plain Uint8Array of its own (a Buffer's slice() is a view; some readers use .buffer).
      data =
        inflated.byteOffset === 0 && inflated.buffer.byteLength === inflated.length
          ? new Uint8Array(inflated.buffer)
          : new Uint8Array(inflated);
    } catch (error) {
      if (
        (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ||
        error instanceof RangeError
      ) {
        throw new ImportError(
          'IMPORT_ARCHIVE_TOO_LARGE',
          `${archiveName}: ${entry.name} expands beyond its declared ${formatBytes(entry.size)} bytes (forged or damaged); stopped there`,
          archiveName,
        );
      }
      throw unreadable(archiveName, `${entry.name} does not inflate (${(error as Error).message})`);
    }
  }
  if (data.length !== entry.size) {
    if (data.length > entry.size)
      throw new ImportError(
        'IMPORT_ARCHIVE_TOO_LARGE',
        `${archiveName}: ${entry.name} expands beyond its declared ${formatBytes(entry.size)} bytes (forged or damaged); stopped there`,
        archiveName,
      );
    throw unreadable(
      archiveName,
      `${entry.name} expands to ${data.length} bytes, not the ${entry.size} declared (damaged)`,
    );
  }
  if (crc32(data) !== entry.crc)
    throw unreadable(archiveName, `${entry.name} fails its CRC-32 check (damaged)`);
  return data;
}

const ARCHIVE_ROOT = resolve('/', 'neoscope-archive');

/**
 * Absolute, drive-lettered, `..`-climbing (with / or \\), empty or NUL-carrying names: never a
 * file inside the archive, whoever later turns the name into a path.
 */
export function unsafeEntryName(name: string): boolean {
  if (name.startsWith('\\') || name.includes('\0') || name.split(/[\\/]/).includes('..'))
    return true;
  return pathInside(ARCHIVE_ROOT, name) === undefined;
}

/** Folders, dot-files and macOS resource forks: skipped on import. */
function ignoredEntryName(name: string): boolean {
  return name.endsWith('/') || /(^|[\\/])(\.|__MACOSX([\\/]|$))/.test(name);
}

/**
 * Checks an archive's directory against the budget: names, entry count, total and ratio,
 * before anything is inflated. Returns the entries to expand.
 */
function plan(bytes: Uint8Array, archiveName: string, budget: ArchiveBudget): ZipEntry[] {
  const { maxRatio, ratioFloorBytes } = budget.limits;
  const directory = readZipDirectory(bytes, archiveName, {
    maxEntries: budget.limits.maxEntries - budget.entries,
  });
  const seen = new Set<string>();
  for (const e of directory) {
    if (unsafeEntryName(e.name))
      throw unreadable(
        archiveName,
        `entry name ${JSON.stringify(e.name)} is absolute or climbs out of the archive`,
      );
    if (seen.has(e.name))
      throw unreadable(archiveName, `two entries are named ${JSON.stringify(e.name)}`);
    seen.add(e.name);
  }
  const wanted = directory.filter((e) => !ignoredEntryName(e.name));
  let total = 0;
  for (const e of wanted) {
    total += e.size;
    if (e.size > ratioFloorBytes && e.size > Math.max(e.compressedSize, 1) * maxRatio) {
      throw new ImportError(
        'IMPORT_ARCHIVE_TOO_LARGE',
        `${archiveName}: ${e.name} compresses ${formatBytes(e.compressedSize)} bytes to ${formatBytes(e.size)}, more than ${maxRatio}:1 (zip bomb?)`,
        archiveName,
      );
    }
  }
  if (total > ratioFloorBytes && total > bytes.length * maxRatio) {
    throw new ImportError(
      'IMPORT_ARCHIVE_TOO_LARGE',
      `${archiveName} (${formatBytes(bytes.length)} bytes) declares ${formatBytes(total)} bytes expanded, more than ${maxRatio}:1 (zip bomb?)`,
      archiveName,
    );
  }
  budget.reserve(archiveName, directory.length, total);
  return wanted;
}

function expandInto(
  bytes: Uint8Array,
  archiveName: string,
  budget: ArchiveBudget,
  depth: number,
  out: Array<{ name: string; bytes: Uint8Array }>,
): void {
  for (const e of plan(bytes, archiveName, budget)) {
    const name = `${archiveName}/${e.name}`;
    const data = readZipEntry(bytes, e, archiveName, { copy: true });
    if (!isZip(data)) out.push({ name, bytes: data });
    else if (depth < budget.limits.maxDepth) expandInto(data, name, budget, depth + 1, out);
    else
      throw new ImportError(
        'IMPORT_ARCHIVE_TOO_LARGE',
        `${archiveName}: ${e.name} is a zip nested more than ${budget.limits.maxDepth} deep; unpack it first`,
        archiveName,
      );
  }
}

/**
 * Every file in the archive (zips inside it expanded, up to the nesting limit), named
 * `<archiveName>/<entry>`. Folders, dot-files and __MACOSX are skipped; unsafe or
 * duplicate names, damage and any limit refuse the whole archive with an ImportError
 * naming it, before the memory is spent.
 */
export function expandZip(
  bytes: Uint8Array,
  archiveName: string,
  options: { budget?: ArchiveBudget } = {},
): Array<{ name: string; bytes: Uint8Array }> {
  const out: Array<{ name: string; bytes: Uint8Array }> = [];
  try {
    expandInto(bytes, archiveName, options.budget ?? ambientBudget(), 1, out);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw unreadable(archiveName, (error as Error).message);
  }
  return out;
}

/**
 * Zip archives (how regional sites often send a batch) expanded in memory, with limits
 * that stop a malicious or broken archive from exhausting memory ("zip bomb").
 */
import { unzipSync } from 'fflate';
import { formatBytes } from '../dicom/errors.ts';
import { ImportError } from './import-errors.ts';

export const MAX_ARCHIVE_EXPANDED_BYTES = 4 * 1024 ** 3;
export const MAX_ARCHIVE_RATIO = 200;

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

export function expandZip(bytes: Uint8Array, archiveName: string): Array<{ name: string; bytes: Uint8Array }> {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (file.name.endsWith('/') || /(^|\/)(\.|__MACOSX)/.test(file.name)) return false;
        total += file.originalSize;
        if (total > MAX_ARCHIVE_EXPANDED_BYTES || file.originalSize > Math.max(1e6, file.size * MAX_ARCHIVE_RATIO)) {
          throw new ImportError('IMPORT_ARCHIVE_TOO_LARGE', `archive expands beyond the ${formatBytes(MAX_ARCHIVE_EXPANDED_BYTES)}-byte limit or compresses ${file.name} more than ${MAX_ARCHIVE_RATIO}:1`, archiveName);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError('IMPORT_ARCHIVE_UNREADABLE', `zip archive cannot be read: ${(error as Error).message}`, archiveName);
  }
  return Object.entries(entries).map(([name, data]) => ({ name: `${archiveName}/${name}`, bytes: data }));
}

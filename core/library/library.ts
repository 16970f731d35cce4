/**
 * The local image library: imports files, recognises duplicates, keeps bad files out
 * with their reasons, and serves decoded frames. Instances are identified by the
 * SHA-256 of their bytes, so the same file imported twice is recognised whatever its
 * name, and an id can never point at changed content.
 *
 * An import is accepted only when the file parses, is an image, its Pixel Data is
 * structurally whole and its first frame decodes: a file that could not be shown is
 * quarantined with its reason at import, not discovered later by the reader.
 * Zip archives are expanded, DICOMDIR indexes are recognised (the files they list arrive
 * with the folder), and photo exports (JPEG/PNG/TIFF) become DICOM objects with the patient,
 * eye and date from the import form, a sidecar CSV, EXIF or the file name
 * (photo-facts.ts, photo-dicom.ts): from then on they are DICOM images like any other.
 *
 * With an InstanceStore (core/store/instance-store.ts) every accepted file is stored
 * durably before the import reports it, and a restarted workstation lists it again; without
 * one (tests, previews) the library lives in memory.
 */
import { createHash } from 'node:crypto';
import { ApiError, toApiErrorBody } from '../base/errors.ts';
import type { DecodedFrame, ImportReport, InstanceSummary, Problem } from '../base/schemas.ts';
import { readString } from '../dicom/attributes.ts';
import { buildDisplayFrame } from '../dicom/display-frame.ts';
import { readImagePixelModule } from '../dicom/image-pixel-module.ts';
import { parseDicomBytes, type ParsedDicom } from '../dicom/parse.ts';
import { checkPixelData } from '../dicom/pixel-integrity.ts';
import { summarizeInstance } from '../dicom/summary.ts';
import { validateDataSet } from '../dicom/validate.ts';
import { expandZip, isZip } from './archives.ts';
import { FrameCache } from './frame-cache.ts';
import { ImportError } from './import-errors.ts';
import type { EyeNamePatterns } from '../vocabulary/eye-names.ts';
import { decodePhotoFrame, photoFormat, type PhotoMetadata } from './photo-export.ts';
import { photoToDicom } from './photo-dicom.ts';
import { describePhoto, type PhotoFacts } from './photo-facts.ts';
import { lookupSidecar, parseSidecarCsv, type SidecarRows } from './photo-sidecar.ts';

export interface ImportFile {
  name: string;
  bytes: Uint8Array;
  /** Patient, eye, date and domain for a JPEG/PNG/TIFF export, as the import form gave them. */
  photo?: PhotoMetadata;
}

interface Entry {
  /** 'photo': a plain photo stored by an earlier version; photos are imported as DICOM now. */
  kind: 'dicom' | 'photo';
  summary: InstanceSummary;
  /** Held for files imported in this session; stored ones are read back on demand. */
  bytes?: Uint8Array;
  parsed?: ParsedDicom;
}

/** Durable storage of accepted instances (bytes and summary). */
export interface InstanceStore {
  /** Instances stored earlier, oldest first. */
  list(): { kind: 'dicom' | 'photo'; summary: InstanceSummary }[];
  /** Resolves once both the bytes and the index row are durable. */
  save(kind: 'dicom' | 'photo', summary: InstanceSummary, bytes: Uint8Array): Promise<void>;
  bytes(instanceId: string): Promise<Uint8Array>;
}

export interface Library {
  list(): InstanceSummary[];
  /** The image with this id; NOT_FOUND when the library does not hold it. */
  get(instanceId: string): InstanceSummary;
  /** The image with this id, or undefined. */
  find(instanceId: string): InstanceSummary | undefined;
  /** The bytes of the image as imported (a photo export: the DICOM made of it). */
  bytes(instanceId: string): Promise<Uint8Array>;
  /** `actor`: who imports (for the audit trail); "system" for the bundled samples. */
  importFiles(
    files: ImportFile[],
    actor?: string,
    tags?: { sourceSite?: string },
  ): Promise<ImportReport>;
  frame(instanceId: string, frame: number): Promise<DecodedFrame>;
}

export interface LibraryOptions {
  /** Decoded frames kept in memory for re-display. */
  frameCacheBytes?: number;
  store?: InstanceStore;
  /** Called once an instance is stored (the audit trail records the import). */
  onImported?: (summary: InstanceSummary, actor: string) => Promise<void>;
  /** Called after an import that added images, whoever asked for it (page, menu, C-STORE). */
  onChanged?: (imported: InstanceSummary[]) => void;
  /**
   * Called for a photo whose sidecar or form gives the infant's birth date and gestational
   * age, to keep them with the patient; a returned problem becomes a warning on the image.
   */
  recordPatient?: (metadata: PhotoMetadata, actor: string) => Promise<Problem | undefined>;
  /** File-name tokens that give a photo's eye (default: core/vocabulary/eye-names.ts). */
  eyeNamePatterns?: EyeNamePatterns;
}

const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** How a photo export came to be the image it is, for the reader (summary.domainReason). */
function photoProvenance(facts: PhotoFacts, classified: string): string {
  const { metadata, sources } = facts;
  const parts = [`${facts.format.toUpperCase()} photo export`, `domain from ${sources.domain}`];
  if (metadata.eye) parts.push(`eye ${metadata.eye} from ${sources.eye}`);
  if (sources.date) parts.push(`date from ${sources.date}`);
  return `${classified}; ${parts.join('; ')}`;
}

export function notInLibrary(instanceId: string): ApiError {
  return new ApiError({
    code: 'NOT_FOUND',
    message: `No image with id ${instanceId.slice(0, 12)}… is in the library.`,
  });
}

export function createLibrary(options: LibraryOptions = {}): Library {
  const entries = new Map<string, Entry>();
  /** SOP Instance UID → content id, to spot two different files claiming one identity. */
  const bySopInstanceUid = new Map<string, string>();
  const cache = new FrameCache(options.frameCacheBytes ?? 256 * 1024 * 1024);
  const store = options.store;
  for (const { kind, summary } of store?.list() ?? []) {
    entries.set(summary.instanceId, { kind, summary });
    if (summary.sopInstanceUid) bySopInstanceUid.set(summary.sopInstanceUid, summary.instanceId);
  }

  async function importDicom(
    file: ImportFile,
    instanceId: string,
    report: ImportReport,
    sourceSite?: string,
    amend?: (summary: InstanceSummary) => void,
  ): Promise<void> {
    const parsed = parseDicomBytes(file.bytes, file.name);
    if (readString(parsed.dataSet, 'x00020002') === MEDIA_STORAGE_DIRECTORY) {
      const records = parsed.dataSet.elements.x00041220?.items?.length ?? 0;
      report.skipped.push({
        fileName: file.name,
        reason: `DICOMDIR media index with ${records} directory records; the images it lists are imported from their own files`,
      });
      return;
    }
    const warnings: Problem[] = validateDataSet(parsed);
    const summary = summarizeInstance(parsed, instanceId);
    checkPixelData(parsed, readImagePixelModule(parsed));
    const first = await buildDisplayFrame(parsed, instanceId, 0, (warning) =>
      warnings.push(warning),
    );
    cache.set(first);
    const earlier = bySopInstanceUid.get(summary.sopInstanceUid);
    if (earlier && earlier !== instanceId) {
      // Same identity, different bytes: a re-export or an edited copy. Both are kept, flagged (PS3.3 C.12.1.1.1).
      warnings.push({
        code: 'DICOM_SOP_INSTANCE_UID_CONFLICT',
        message: `another file in the library has the same SOP Instance UID with different content (${entries.get(earlier)?.summary.fileName ?? 'unknown'})`,
      });
    }
    if (summary.sopInstanceUid) bySopInstanceUid.set(summary.sopInstanceUid, instanceId);
    summary.warnings = warnings;
    if (sourceSite) summary.sourceSite = sourceSite;
    amend?.(summary);
    await store?.save('dicom', summary, file.bytes);
    entries.set(instanceId, { kind: 'dicom', summary, bytes: file.bytes, parsed });
    report.imported.push(summary);
  }

  /**
   * A photo export becomes a DICOM object (photo-dicom.ts) and is imported as one; what the
   * import learnt about it (where the eye and domain came from, hints it overruled) stays
   * with the image. Returns the instance id, or undefined when it was refused.
   */
  async function importPhoto(
    file: ImportFile,
    sidecar: PhotoMetadata | undefined,
    report: ImportReport,
    actor: string,
    sourceSite?: string,
  ): Promise<string | undefined> {
    const facts = await describePhoto(file.bytes, file.name, {
      given: file.photo,
      sidecar,
      patterns: options.eyeNamePatterns,
    });
    const object = await photoToDicom(file.bytes, facts);
    const instanceId = sha256Hex(object.bytes);
    if (entries.has(instanceId)) {
      report.duplicates.push({ fileName: file.name, instanceId });
      return undefined;
    }
    const metadata = facts.metadata as PhotoMetadata;
    const patientProblem =
      metadata.birthDate && metadata.gestationalAgeWeeks !== undefined
        ? await options.recordPatient?.(metadata, actor)
        : undefined;
    await importDicom(
      { name: file.name, bytes: object.bytes },
      instanceId,
      report,
      sourceSite,
      (summary) => {
        summary.domainReason = photoProvenance(facts, summary.domainReason);
        for (const note of facts.notes)
          summary.warnings.push({ code: 'IMPORT_PHOTO_HINT_NOT_USED', message: note });
        if (patientProblem) summary.warnings.push(patientProblem);
      },
    );
    return instanceId;
  }

  function fail(report: ImportReport, fileName: string, error: unknown): void {
    const body = toApiErrorBody(error);
    report.failed.push({ fileName, code: body.code, message: body.message });
  }

  return {
    list() {
      return [...entries.values()].map((entry) => entry.summary).reverse();
    },
    async importFiles(files, actor = 'system', tags = {}) {
      const report: ImportReport = { imported: [], duplicates: [], failed: [], skipped: [] };
      const pending: ImportFile[] = [];
      for (const file of files) {
        if (!isZip(file.bytes)) {
          pending.push(file);
          continue;
        }
        try {
          const inside = expandZip(file.bytes, file.name);
          report.skipped.push({
            fileName: file.name,
            reason: `zip archive expanded: ${inside.length} file(s)`,
          });
          pending.push(...inside);
        } catch (error) {
          fail(report, file.name, error);
        }
      }
      const sidecar: SidecarRows = new Map();
      const images: ImportFile[] = [];
      for (const file of pending) {
        if (!/\.csv$/i.test(file.name)) {
          images.push(file);
          continue;
        }
        const { rows, problems } = parseSidecarCsv(new TextDecoder().decode(file.bytes));
        for (const [name, metadata] of rows) sidecar.set(name, metadata);
        if (problems.length)
          fail(
            report,
            file.name,
            new ImportError(
              'IMPORT_SIDECAR_INVALID',
              `sidecar CSV: ${problems.join('; ')}`,
              file.name,
            ),
          );
        if (rows.size)
          report.skipped.push({
            fileName: file.name,
            reason: `sidecar metadata for ${rows.size} photo(s)`,
          });
      }
      for (const file of images) {
        let instanceId: string | undefined = sha256Hex(file.bytes);
        if (entries.has(instanceId)) {
          report.duplicates.push({ fileName: file.name, instanceId });
          continue;
        }
        try {
          if (photoFormat(file.bytes))
            instanceId = await importPhoto(
              file,
              lookupSidecar(sidecar, file.name),
              report,
              actor,
              tags.sourceSite,
            );
          else await importDicom(file, instanceId, report, tags.sourceSite);
        } catch (error) {
          fail(report, file.name, error);
          continue;
        }
        const stored = report.imported[report.imported.length - 1];
        if (instanceId && stored?.instanceId === instanceId)
          await options.onImported?.(stored, actor);
      }
      if (report.imported.length) options.onChanged?.(report.imported);
      return report;
    },
    get(instanceId) {
      const entry = entries.get(instanceId);
      if (!entry) throw notInLibrary(instanceId);
      return entry.summary;
    },
    find: (instanceId) => entries.get(instanceId)?.summary,
    async bytes(instanceId) {
      const entry = entries.get(instanceId);
      if (!entry) throw notInLibrary(instanceId);
      return entry.bytes ?? store!.bytes(instanceId);
    },
    async frame(instanceId, frame) {
      const entry = entries.get(instanceId);
      if (!entry) throw notInLibrary(instanceId);
      const cached = cache.get(instanceId, frame);
      if (cached) return cached;
      let decoded: DecodedFrame;
      const bytes = entry.bytes ?? (await store!.bytes(instanceId));
      if (entry.kind === 'photo') {
        if (frame !== 0)
          throw new ApiError({
            code: 'DICOM_FRAME_OUT_OF_RANGE',
            message: `frame ${frame} requested; a photo has one frame`,
          });
        decoded = await decodePhotoFrame(bytes, instanceId, entry.summary.fileName);
      } else {
        entry.parsed ??= parseDicomBytes(bytes, entry.summary.fileName);
        decoded = await buildDisplayFrame(entry.parsed, instanceId, frame);
      }
      cache.set(decoded);
      return decoded;
    },
  };
}

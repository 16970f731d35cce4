/**
 * A training set from signed work: the readers' signed labels for a model slot
 * (models/slots/<id>.json) with the images they were given for, in the folder + CSV layout
 * `training/classifier_from_csv` reads:
 *
 *   OUT/images/<name>.png   one per image (display pixels; PNG carries no patient data)
 *   OUT/labels.csv          the slot's columns: image, patient, eye (per-eye slots), one per head
 *   OUT/export.json         what was exported, from what, and what was left out and why
 *   OUT/dicom/<name>.dcm    with --deidentify: each image de-identified by the PS3.15 Basic
 *                           Profile (core/dicom/deidentify), the patient replaced by its pseudonym
 *
 * Only the latest signed version of each report counts (an amendment replaces what it
 * amends), and only reports that verify (signature, hash, sign-off in the audit chain).
 * One row per image: for a per-eye slot (ROP) the labels of the image's eye, from the od_/os_
 * fields by the image's laterality; for a film slot the report's labels. The patient column
 * keeps all of one infant's images together, so the trainer's split by patient never puts an
 * infant on both sides; with --deidentify it is an HMAC pseudonym of the patient id under the
 * key (the one batch packages use), the same infant always getting the same one.
 */
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { CodedError } from '../base/errors.ts';
import { deidentifyDicom } from '../dicom/deidentify/deidentify.ts';
import { pseudonymFor } from '../exchange/batch-package.ts';
import { displayBytes } from '../imaging/frame-display.ts';
import type { ModelSlot } from '../inference/portable/slot-schema.ts';
import type { Library } from '../library/library.ts';
import { fieldsFor, type FieldSpec } from '../reports/grading-fields.ts';
import type { DataFolder } from '../store/data-folder.ts';
import { latestSignedReports, type UnverifiedReport } from '../validation/site-validation.ts';
import { eyeOf, type Eye } from '../vocabulary/visit.ts';

export type TrainingExportErrorCode = 'TRAINING_SLOT_NOT_GRADED' | 'TRAINING_OUT_NOT_EMPTY';
export class TrainingExportError extends CodedError<TrainingExportErrorCode> {}

export interface TrainingExportOptions {
  slot: ModelSlot;
  out: string;
  /** De-identify (PS3.15 Basic Profile) with this key; the patient column becomes a pseudonym. */
  deidentify?: { key: string };
  now?: () => Date;
}

export interface TrainingExport {
  slot: string;
  rows: number;
  reports: number;
  deidentified: boolean;
  labels: string;
  images: string;
  /** Images of signed reports that gave no row, and why. */
  skipped: { source: string; reason: string }[];
  unverified: UnverifiedReport[];
}

/** The form field that holds each head, per eye for a per-eye slot. */
function headFields(slot: ModelSlot): Map<string, FieldSpec[]> {
  const form = fieldsFor(slot.domain);
  return new Map(
    slot.heads.map((head) => [
      head.name,
      form.filter(
        (f) => f.aiSource && 'slot' in f.aiSource && f.aiSource.slot === slot.id && f.aiSource.head === head.name,
      ),
    ]),
  );
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function exportTrainingSet(
  data: DataFolder,
  library: Library,
  options: TrainingExportOptions,
): Promise<TrainingExport> {
  const { slot, out } = options;
  const byHead = headFields(slot);
  const ungraded = slot.heads.filter((h) => !byHead.get(h.name)!.length);
  if (ungraded.length === slot.heads.length)
    throw new TrainingExportError(
      'TRAINING_SLOT_NOT_GRADED',
      `no field of the ${slot.domain} report form holds the heads of ${slot.id} (${slot.heads.map((h) => h.name).join(', ')}): signed reports carry no labels for it`,
    );
  if (existsSync(out) && (await readdir(out)).length)
    throw new TrainingExportError(
      'TRAINING_OUT_NOT_EMPTY',
      `${out} is not empty; export a training set into a new folder`,
    );
  const key = options.deidentify?.key;
  const hmac = (text: string) => createHmac('sha256', key!).update(text).digest('hex');
  await mkdir(join(out, 'images'), { recursive: true });
  if (key) await mkdir(join(out, 'dicom'), { recursive: true });

  const latest = await latestSignedReports(data);
  const reports = latest.reports.filter((r) => r.content.domain === slot.domain);
  const columns = [
    slot.csv.image,
    slot.csv.patient,
    ...(slot.csv.eye ? [slot.csv.eye] : []),
    ...slot.heads.map((h) => h.csvColumn),
    'source',
  ];
  const rows: string[][] = [];
  const skipped: TrainingExport['skipped'] = [];
  let counted = 0;
  for (const report of reports) {
    const { content } = report;
    const source = key
      ? `${hmac(content.reportId).slice(0, 16)}@${report.version}`
      : `${content.reportId}@${report.version}`;
    const reader = new Map(content.fields.map((f) => [f.field, f.reader]));
    const patient = key ? pseudonymFor(content.patientId, key) : content.patientId;
    let used = false;
    for (const instanceId of content.instanceIds) {
      const image = library.find(instanceId);
      const where = `${source} image ${key ? hmac(instanceId).slice(0, 12) : instanceId.slice(0, 12)}`;
      if (!image) {
        skipped.push({ source: where, reason: 'the image is no longer in the library' });
        continue;
      }
      const eye: Eye | undefined = slot.unit === 'eye' ? eyeOf(image) : undefined;
      if (slot.unit === 'eye' && !eye) {
        skipped.push({ source: where, reason: 'the eye of the image is not recorded' });
        continue;
      }
      const labels = slot.heads.map((head) => {
        const spec = byHead.get(head.name)!.find((f) => f.eye === eye);
        const value = spec ? reader.get(spec.name) : undefined;
        return typeof value === 'string' && head.labels.includes(value) ? value : '';
      });
      if (labels.every((l) => !l)) {
        skipped.push({ source: where, reason: `no head of ${slot.id} was graded${eye ? ` for ${eye}` : ''}` });
        continue;
      }
      const stem = key ? hmac(instanceId).slice(0, 20) : instanceId.slice(0, 20);
      const frame = await library.frame(instanceId, 0);
      const { channels, data: pixels } = displayBytes(frame);
      await writeFile(
        join(out, 'images', `${stem}.png`),
        await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), {
          raw: { width: frame.columns, height: frame.rows, channels },
        })
          .png()
          .toBuffer(),
      );
      if (key)
        await writeFile(
          join(out, 'dicom', `${stem}.dcm`),
          deidentifyDicom(
            await data.instances.bytes(instanceId),
            { uidKey: key, pseudonym: { patientId: patient, patientName: patient } },
            `${stem}.dcm`,
          ),
        );
      rows.push([`${stem}.png`, patient, ...(slot.csv.eye ? [eye ?? ''] : []), ...labels, source]);
      used = true;
    }
    if (used) counted++;
  }
  const labels = join(out, 'labels.csv');
  await writeFile(labels, [columns, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n');
  const result: TrainingExport = {
    slot: slot.id,
    rows: rows.length,
    reports: counted,
    deidentified: Boolean(key),
    labels,
    images: join(out, 'images'),
    skipped,
    // A report id is derived from the patient and date: pseudonymised like everything else.
    unverified: key
      ? latest.unverified.map((u) => ({ ...u, reportId: hmac(u.reportId).slice(0, 16) }))
      : latest.unverified,
  };
  await writeFile(
    join(out, 'export.json'),
    `${JSON.stringify(
      {
        ...result,
        labels: 'labels.csv',
        images: 'images',
        createdAt: (options.now ?? (() => new Date()))().toISOString(),
        ungradedHeads: ungraded.map((h) => h.name),
        ...(key ? { profile: 'DICOM PS3.15 Basic Application Level Confidentiality Profile' } : {}),
      },
      null,
      2,
    )}\n`,
  );
  return result;
}

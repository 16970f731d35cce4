/**
 * The worklist refresh the page makes every 15 s: every exam's status, unread state and
 * PMA for a library of N images, against serialising the same image list for the wire
 * (what library.list costs anyway), measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstanceSummary } from '../../base/schemas.ts';
import { reportIdFor } from '../../review/report-id.ts';
import { openDatabase } from '../../store/database.ts';
import { AnalysisStore } from '../../review/analysis-store.ts';
import { listExams, markViewed } from '../exam-status.ts';
import { medianMs } from '../../testing/median-time.ts';

function syntheticLibrary(count: number): InstanceSummary[] {
  return Array.from({ length: count }, (_, i) => ({
    instanceId: i.toString(16).padStart(64, '0'),
    fileName: `image-${i}.dcm`,
    sopInstanceUid: `1.2.3.${i}`,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1',
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    patientName: `Infant^${i % 97}`,
    patientId: `P${i % 97}`,
    studyInstanceUid: `1.2.3.4.${Math.floor(i / 2)}`,
    studyDate: `2026${String((i % 12) + 1).padStart(2, '0')}15`,
    studyDescription: '',
    seriesInstanceUid: `1.2.3.5.${i}`,
    modality: i % 2 ? 'CR' : 'OP',
    bodyPart: '',
    laterality: i % 2 ? '' : i % 4 ? 'L' : 'R',
    rows: 1000,
    columns: 1000,
    frames: 1,
    photometric: 'MONOCHROME2',
    domain: i % 2 ? 'chest' : 'retina',
    domainReason: '',
    warnings: [],
  }));
}

export function benchWorklist(count: number): {
  count: number;
  examsMs: number;
  serialiseMs: number;
} {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-bench-worklist-'));
  const db = openDatabase(folder);
  try {
    const instances = syntheticLibrary(count);
    // A third of the exams analysed, a sixth opened by the reader.
    instances.forEach((instance, i) => {
      if (i % 3 === 0)
        db.run(
          'INSERT OR IGNORE INTO analyses (report_id, model, at, notes_json) VALUES (?, ?, ?, ?)',
          [reportIdFor(instance), 'm@1', '2026-11-23T00:00:00Z', '[]'],
        );
      if (i % 6 === 0) markViewed(db, reportIdFor(instance), 'ada', new Date());
    });
    const patient = { patientId: 'P', birthDate: '2026-01-01', gaWeeks: 27, gaDays: 2 };
    return {
      count,
      examsMs: medianMs(
        () =>
          listExams(instances, {
            db,
            analysed: new AnalysisStore(db).analysedReports(),
            patients: () => patient,
            username: 'ada',
          }),
        9,
      ),
      serialiseMs: medianMs(() => JSON.stringify({ instances }), 9),
    };
  } finally {
    db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

export function formatWorklistFigures(f: {
  count: number;
  examsMs: number;
  serialiseMs: number;
}): string {
  return `\nWorklist refresh, ${f.count} images (median of 9)\nserialise the image list (reference) ${f.serialiseMs.toFixed(1).padStart(7)} ms\nexam status, unread and PMA          ${f.examsMs.toFixed(1).padStart(7)} ms  ${(f.examsMs / f.serialiseMs).toFixed(1)}×`;
}

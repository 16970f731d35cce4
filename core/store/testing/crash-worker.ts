/**
 * Child process for the crash tests: opens a data folder and works until it is killed,
 * printing a line after each piece of work the store has committed.
 *   import:   imports distinct DICOM files (the sample, re-identified with a new key each)
 *   sign-off: signs a new report, then amends it
 *   analysis: records AI values on a report draft, as review.analyze does
 */
import { readFileSync } from 'node:fs';
import { deidentifyDicom } from '../../dicom/deidentify/deidentify.ts';
import { createLibrary } from '../../library/library.ts';
import { samplePath } from '../../testing/shared-data.ts';
import { openDataFolder } from '../data-folder.ts';
import { ReviewService } from '../../review/review-service.ts';
import { Accounts } from '../../users/accounts.ts';

const [folder, mode, startText] = process.argv.slice(2);
const data = await openDataFolder(folder!);
const start = Number(startText ?? 0);
const sample = new Uint8Array(readFileSync(samplePath('chest-dx-lateral-highdicom.dcm')));
process.stdout.write('ready\n');
for (let i = start; ; i++) {
  if (mode === 'import') {
    const library = createLibrary({ store: data.instances });
    const bytes = deidentifyDicom(sample, { uidKey: `crash-${i}` }, 'sample.dcm');
    const report = await library.importFiles([{ name: `file-${i}.dcm`, bytes }]);
    for (const s of report.imported) process.stdout.write(`committed ${s.instanceId}\n`);
  } else if (mode === 'analysis') {
    const review = new ReviewService(
      data.db,
      data.audit,
      data.reports,
      new Accounts(data.db, data.audit),
    );
    if (i === start)
      await review.open(
        { username: 'ada', displayName: 'Ada', role: 'ophthalmologist' },
        {
          reportId: 'exam-1',
          patientId: 'p',
          studyInstanceUid: '2.25.1',
          instanceIds: [],
          domain: 'retina',
        },
      );
    const value = 1 + i / 100000;
    await review.setAi('exam-1', 'od_tortuosity_index', {
      value,
      model: { id: 'retina-vessels', version: '0.1.0', sha256: 'a'.repeat(64) },
    });
    process.stdout.write(`committed ${value}\n`);
  } else {
    const content = {
      reportId: `r${i}`,
      patientId: 'p',
      studyInstanceUid: `2.25.${i}`,
      instanceIds: [],
      domain: 'chest' as const,
      fields: [{ field: 'ctr', reader: 0.5 }],
      freeText: `report ${i}`,
    };
    const signed = await data.reports.sign(content, 'dr.rad');
    process.stdout.write(`committed ${signed.content.reportId}/v1 ${signed.contentHash}\n`);
    const amended = await data.reports.amend(
      { ...content, freeText: `report ${i}, amended` },
      'dr.rad',
      'typo',
    );
    process.stdout.write(`committed ${amended.content.reportId}/v2 ${amended.contentHash}\n`);
  }
}

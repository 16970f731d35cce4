/**
 * Measurements are numbers computed by the workstation, through the API on a real chest film
 * (DX with Pixel Spacing 1.2 \ 1.2012 mm): a page that sends a forged reading has it ignored;
 * what is stored, listed, signed, printed in the PDF and written as NUM items in the SR is
 * what the points measure with the film's own spacing. A row saved before numbers were kept
 * (a reading only) is measured from its points when read, and signed with those numbers.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Annotation } from '../api/contract-worklist.ts';
import { readAuditEntries } from '../audit/audit-log.ts';
import { samplePath, projectRoot } from '../testing/shared-data.ts';
import { createWorkstation } from './create-workstation.ts';
import { apiCalls } from './testing/api-calls.ts';

const COLUMN_MM = 1.201199999999; // (0028,0030) Pixel Spacing: row 1.2, column 1.2012

test(
  'a forged reading is ignored: stored, signed and exported numbers are computed from the points',
  { timeout: 180_000 },
  async () => {
    const dataFolder = mkdtempSync(join(tmpdir(), 'neoscope-measure-'));
    const workstation = await createWorkstation(projectRoot, 'browser', () => {}, { dataFolder });
    const { call, fails } = apiCalls(workstation);
    try {
      const name = 'chest-dx-lateral-highdicom.dcm';
      const { imported } = await workstation.library.importFiles([
        { name, bytes: readFileSync(samplePath(name)) },
      ]);
      const film = imported[0]!;
      await call('users.create', {
        username: 'admin',
        displayName: 'Site Admin',
        role: 'admin',
        password: 'admin-pass-1',
      });
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.create', {
        username: 'rad',
        displayName: 'Rita Radiologist',
        role: 'radiologist',
        password: 'chest-2026!',
      });
      await call('auth.login', { username: 'rad', password: 'chest-2026!' });
      const { content } = (await call('review.open', { instanceIds: [film.instanceId] })) as {
        content: { reportId: string };
      };

      // A modified page: the points of a 100-pixel line, the reading of a much shorter one.
      const length = (await call('annotations.save', {
        instanceId: film.instanceId,
        kind: 'length',
        points: [
          { x: 10, y: 20 },
          { x: 110, y: 20 },
        ],
        label: '5.0 mm',
      })) as Annotation;
      assert.equal(length.values.length, 1);
      assert.ok(Math.abs(length.values[0]!.value - 100 * COLUMN_MM) < 1e-9);
      assert.deepEqual(
        [length.values[0]!.unit, length.values[0]!.calibration],
        ['mm', 'calibrated'],
      );
      assert.equal(length.label, '120.1 mm');
      const ctr = (await call('annotations.save', {
        instanceId: film.instanceId,
        kind: 'ctr',
        points: [
          { x: 20, y: 100 },
          { x: 190, y: 100 },
          { x: 60, y: 110 },
          { x: 145, y: 110 },
        ],
        label: 'CTR 0.40 · heart 80 mm / thorax 200 mm',
      })) as Annotation;
      assert.equal(ctr.label, 'CTR 0.50 · heart 102 mm / thorax 204 mm');
      // Numbers sent by the page are not part of the contract: refused outright.
      await fails(
        'annotations.save',
        {
          instanceId: film.instanceId,
          kind: 'length',
          points: length.points,
          values: [{ quantity: 'length', value: 5, unit: 'mm', calibration: 'calibrated' }],
        },
        'API_INVALID_ARGUMENTS',
      );
      await fails(
        'annotations.save',
        {
          instanceId: film.instanceId,
          kind: 'ctr',
          points: [
            { x: 50, y: 10 },
            { x: 50, y: 150 },
            { x: 60, y: 110 },
            { x: 145, y: 110 },
          ],
        },
        'ANNOTATION_INVALID',
      ); // a vertical thoracic line has no width: no ratio to store

      const db = workstation.data!.db;
      const stored = db.all(
        'SELECT kind, label, values_json FROM annotations WHERE instance_id = ? ORDER BY created_at, id',
        [film.instanceId],
      );
      assert.deepEqual(
        stored.map((r) => [r.kind, r.label]),
        [
          ['length', '120.1 mm'],
          ['ctr', 'CTR 0.50 · heart 102 mm / thorax 204 mm'],
        ],
      );
      assert.deepEqual(JSON.parse(String(stored[0]!.values_json)), length.values);

      // A row from before numbers were stored: points and a (forged) reading only.
      db.run(
        'INSERT INTO annotations (id, instance_id, kind, points_json, label, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
          '00000000-0000-4000-8000-000000000001',
          film.instanceId,
          'angle',
          JSON.stringify([
            { x: 100, y: 50 },
            { x: 50, y: 50 },
            { x: 50, y: 0 },
          ]),
          '12.0°',
          'rad',
          '2000-01-01T00:00:00.000Z',
        ],
      );
      const listed = (
        (await call('annotations.list', { instanceId: film.instanceId })) as {
          annotations: Annotation[];
        }
      ).annotations;
      assert.deepEqual(
        listed.map((a) => [a.kind, a.label]),
        [
          ['angle', '90.0°'],
          ['length', '120.1 mm'],
          ['ctr', 'CTR 0.50 · heart 102 mm / thorax 204 mm'],
        ],
      );
      assert.equal(
        db.get('SELECT values_json FROM annotations WHERE kind = ?', ['angle'])!.values_json !==
          null,
        true,
        'the older row now has its numbers',
      );

      const signed = (await call('review.sign', {
        reportId: content.reportId,
        password: 'chest-2026!',
      })) as { version: number };
      const report = await workstation.data!.reports.read(content.reportId, signed.version);
      assert.deepEqual(
        report.content.measurements?.map((m) => [m.kind, m.label, m.values?.[0]?.value]),
        [
          ['angle', '90.0°', 90],
          ['length', '120.1 mm', length.values[0]!.value],
          ['ctr', 'CTR 0.50 · heart 102 mm / thorax 204 mm', 0.5],
        ],
      );

      const pdfFile = join(dataFolder, 'report.pdf');
      const pdf = (await call('report.pdf', {
        reportId: content.reportId,
        version: signed.version,
      })) as { bytes: Uint8Array };
      writeFileSync(pdfFile, pdf.bytes);
      const text = spawnSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' }).stdout;
      assert.match(text, /Angle: 90\.0° - by rad/);
      assert.match(text, /Length: 120\.1 mm - by rad/);
      assert.match(
        text,
        /Cardiothoracic ratio: CTR 0\.50 · heart 102 mm \/ thorax 204 mm - by rad/,
      );
      assert.doesNotMatch(text, /5\.0 mm|12\.0°|CTR 0\.40/);

      const srFile = join(dataFolder, 'report-sr.dcm');
      const sr = (await call('report.dicom', {
        reportId: content.reportId,
        version: signed.version,
      })) as { bytes: Uint8Array };
      writeFileSync(srFile, sr.bytes);
      const dump = spawnSync('dsrdump', ['+Pc', '+Pl', srFile], { encoding: 'utf8' }).stdout;
      assert.match(dump, /NUM:\(410668003,SCT,"Length"\)="120\.12" \(mm,UCUM,"mm"\)/);
      assert.match(dump, /NUM:\(ANGLE,99NEOSCOPE,"Angle"\)="90" \(deg,UCUM,"degree"\)/);
      assert.match(
        dump,
        /NUM:\(CTR,99NEOSCOPE,"Cardiothoracic ratio"\)="0\.5" \(\{ratio\},UCUM,"ratio"\)/,
      );
      assert.match(
        dump,
        /NUM:\(THORACIC-WIDTH,99NEOSCOPE,"Transverse thoracic diameter"\)="204\.204" \(mm,UCUM,"mm"\)/,
      );
      assert.match(
        dump,
        /TEXT:\(READING,99NEOSCOPE,"Reading as shown"\)="length: 120\.1 mm \(by rad\)"/,
      );
      assert.doesNotMatch(dump, /5\.0 mm|12\.0°|CTR 0\.40/);
      assert.doesNotMatch(spawnSync('dciodvfy', [srFile], { encoding: 'utf8' }).stderr, /^Error/m);

      const audit = await readAuditEntries(join(dataFolder, 'audit.log'));
      const measured = audit.filter((e) => e.action === 'annotate');
      assert.deepEqual(
        measured.map((e) => [e.actor, e.details?.label, e.details?.labelAsSaved]),
        [
          ['rad', '120.1 mm', undefined],
          ['rad', 'CTR 0.50 · heart 102 mm / thorax 204 mm', undefined],
          ['system', '90.0°', '12.0°'],
        ],
      );
    } finally {
      workstation.data?.close();
    }
  },
);

/**
 * Local validation through the API and the CLI, on ROP visits an ophthalmologist signed with
 * model values beside hers: one case per signed field with both values, amended reports in
 * their latest version only, unsigned ones not at all; κ (weighted by the ICROP3 order),
 * sensitivity/specificity, AUC and Bland–Altman equal to hand-computed values; readers see
 * their domain, technicians nothing; the CSV states the API's numbers; a report altered after
 * signing is left out and named.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OperationResult } from '../api/contract.ts';
import { runCli } from '../cli/commands.ts';
import { ADMIN, READER, signedRetinaSite } from '../validation/testing/signed-site.ts';

type Report = OperationResult<'validation.report'>;
const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} vs ${expected}`,
  );

test(
  'validation.report and neoscope validate: the agreement of each model version with the signed readings',
  { timeout: 240_000 },
  async () => {
    const { workstation, dataFolder, call, visits } = await signedRetinaSite([
      {
        patientId: 'INF-001',
        examDate: '20260105',
        ai: {
          od_plus: { value: 'none', confidence: 0.8 },
          od_a_rop: { value: 'no', confidence: 0.9 },
          od_tortuosity_index: { value: 1.1 },
          os_zone: { value: 'II', confidence: 0.6 },
        },
        reader: { od_plus: 'none', od_a_rop: 'no', od_tortuosity_index: 1.12, os_zone: 'III' },
      },
      {
        patientId: 'INF-002',
        examDate: '20260106',
        ai: {
          od_plus: { value: 'pre-plus', confidence: 0.7 },
          od_a_rop: { value: 'yes', confidence: 0.7 },
          od_tortuosity_index: { value: 1.2 },
        },
        reader: { od_plus: 'none', od_a_rop: 'no', od_tortuosity_index: 1.16 },
        amend: { od_plus: 'pre-plus' }, // counted as amended: pre-plus/pre-plus
      },
      {
        patientId: 'INF-003',
        examDate: '20260107',
        ai: {
          od_plus: { value: 'plus', confidence: 0.9 },
          od_a_rop: { value: 'yes', confidence: 0.8 },
          od_tortuosity_index: { value: 1.3 },
        },
        reader: { od_plus: 'plus', od_a_rop: 'yes', od_tortuosity_index: 1.31 },
      },
      {
        patientId: 'INF-004',
        examDate: '20260108',
        ai: {
          od_plus: { value: 'none', confidence: 0.5 },
          od_a_rop: { value: 'no', confidence: 0.6 },
          od_tortuosity_index: { value: 1.1 },
        },
        reader: { od_plus: 'pre-plus', od_a_rop: 'yes', od_tortuosity_index: 1.0 },
      },
      {
        patientId: 'INF-005',
        examDate: '20260109',
        version: '0.2.0',
        ai: { od_plus: { value: 'plus', confidence: 0.9 } },
        reader: { od_plus: 'plus' },
      },
      {
        patientId: 'INF-006',
        examDate: '20260110',
        ai: { od_plus: { value: 'plus', confidence: 0.9 } },
        reader: { od_plus: 'none' },
        sign: false, // open, never signed: not evidence
      },
    ]);
    const [p1, p2, p3, p4, p5, p6] = visits as [
      (typeof visits)[0],
      (typeof visits)[0],
      (typeof visits)[0],
      (typeof visits)[0],
      (typeof visits)[0],
      (typeof visits)[0],
    ];
    let closed = false;
    try {
      const report = (await call('validation.report', {})) as Report;
      assert.equal(report.reports, 5);
      assert.deepEqual(report.unverified, []);
      const group = (version: string, field: string) =>
        report.groups.find((g) => g.modelVersion === version && g.field === field)!;
      assert.deepEqual(
        report.groups.map((g) => `${g.modelId} ${g.modelVersion} ${g.field}`),
        [
          'rop-site 0.1.0 od_a_rop',
          'rop-site 0.1.0 od_plus',
          'rop-site 0.1.0 od_tortuosity_index',
          'rop-site 0.1.0 os_zone',
          'rop-site 0.2.0 od_plus',
        ],
      );
      assert.ok(
        !report.cases.some((c) => c.reportId === p6.reportId),
        'an unsigned report is no evidence',
      );

      // Plus (ordinal): model none/pre-plus/plus/none against none/pre-plus (amended)/plus/pre-plus.
      const plus = group('0.1.0', 'od_plus');
      assert.equal(plus.fieldKind, 'ordinal');
      assert.deepEqual(plus.categories, ['none', 'pre-plus', 'plus']);
      assert.deepEqual(
        plus.caseIds.sort(),
        [`${p1.reportId}@1`, `${p2.reportId}@2`, `${p3.reportId}@1`, `${p4.reportId}@1`].sort(),
      );
      assert.equal(plus.agreement!.x, 3);
      assert.deepEqual(plus.kappa!.unweighted!.table, [
        [1, 1, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]);
      // po = 3/4, pe = (2·1 + 1·2 + 1·1)/16 = 5/16 → κ = 7/11; linear weights: po 7/8, pe 9/16 → 5/7.
      close(plus.kappa!.unweighted!.kappa, 7 / 11, 'κ');
      close(plus.kappa!.linear!.kappa, 5 / 7, 'linear κ');
      assert.deepEqual(group('0.1.0', 'os_zone').categories, ['III', 'II', 'posterior II', 'I']);

      // A-ROP (binary, yes positive): sensitivity 1/2, specificity 1/2; AUC from p(yes) = 3/4.
      const aRop = group('0.1.0', 'od_a_rop');
      assert.equal(aRop.fieldKind, 'binary');
      const ss = aRop.sensitivitySpecificity!;
      assert.deepEqual([ss.sensitivity.x, ss.sensitivity.n], [1, 2]);
      assert.deepEqual([ss.specificity.x, ss.specificity.n], [1, 2]);
      assert.deepEqual(ss.sensitivity.numeratorCaseIds, [`${p3.reportId}@1`]);
      close(aRop.auc!.auc, 0.75, 'AUC');

      // Tortuosity (continuous): differences −0.02, 0.04, −0.01, 0.10 → bias 0.0275; 3 within 0.05.
      const ti = group('0.1.0', 'od_tortuosity_index');
      close(ti.blandAltman!.bias, 0.0275, 'bias');
      assert.equal(ti.agreement!.x, 3);
      assert.equal(report.settings.tolerances.od_tortuosity_index, 0.05);
      assert.equal(group('0.2.0', 'od_plus').n, 1);
      assert.deepEqual(
        plus.months.map((m) => [m.n, m.agree]),
        [[4, 3]],
      );

      assert.equal(
        ((await call('validation.report', { model: 'another' })) as Report).groups.length,
        0,
      );
      assert.equal(
        ((await call('validation.report', { since: '2999-01-01' })) as Report).reports,
        0,
      );
      await call('auth.logout', {});
      await call('auth.login', { username: 'rad', password: 'chest-films-2026' });
      const chest = (await call('validation.report', {})) as Report;
      assert.deepEqual(chest.filters.domains, ['chest']);
      assert.equal(chest.groups.length, 0, 'a radiologist sees the chest models only');
      await call('auth.logout', {});
      await call('auth.login', { username: 'tech', password: 'camera-tech-2026' });
      await assert.rejects(call('validation.report', {}), { code: 'AUTH_FORBIDDEN' });
      await call('auth.logout', {});
      await call('auth.login', ADMIN);
      assert.equal(((await call('validation.report', {})) as Report).groups.length, 5);
      await call('auth.logout', {});
      await call('auth.login', READER);

      // The CLI on the same folder (the workstation lets go of it first).
      workstation.data!.close();
      closed = true;
      const out = mkdtempSync(join(tmpdir(), 'neoscope-validate-'));
      const io = { stdout: '', stderr: '' };
      const streams = {
        out: (t: string) => void (io.stdout += t),
        err: (t: string) => void (io.stderr += t),
      };
      const csvPath = join(out, 'report.csv');
      assert.equal(await runCli(['validate', '--data', dataFolder, '--out', csvPath], streams), 0);
      assert.match(
        io.stdout,
        /rop-site 0\.1\.0 - od_plus \(ordinal: none < pre-plus < plus\) - n = 4/,
      );
      const rows = readFileSync(csvPath, 'utf8').trim().split('\n');
      const header = rows[0]!.split(',');
      const cells = rows.slice(1).map((r) => r.split(','));
      const find = (version: string, field: string, statistic: string) =>
        cells.find(
          (c) =>
            c[header.indexOf('model_version')] === version &&
            c[header.indexOf('field')] === field &&
            c[header.indexOf('statistic')] === statistic,
        )!;
      close(
        Number(find('0.1.0', 'od_plus', 'kappa_linear')[header.indexOf('estimate')]),
        plus.kappa!.linear!.kappa!,
        'CSV κ = API κ',
      );
      close(
        Number(find('0.1.0', 'od_a_rop', 'sensitivity')[header.indexOf('ci_low')]),
        ss.sensitivity.ci95![0],
        'CSV Wilson lower bound = API',
      );
      assert.equal(
        find('0.1.0', 'od_plus', 'count').at(header.indexOf('detail')),
        'model=none; reader=none',
      );

      const pdfPath = join(out, 'report.pdf');
      assert.equal(await runCli(['validate', '--data', dataFolder, '--out', pdfPath], streams), 0);
      assert.equal(readFileSync(pdfPath).subarray(0, 5).toString(), '%PDF-');
      const wrong = join(out, 'report.txt');
      assert.equal(await runCli(['validate', '--data', dataFolder, '--out', wrong], streams), 2);
      assert.ok(!existsSync(wrong), 'an unknown format writes nothing');
      assert.match(io.stderr, /--out writes a \.csv or a \.pdf file/);
      assert.equal(
        await runCli(['validate', '--data', dataFolder, '--since', '5.1.26'], streams),
        2,
      );

      // A signed report changed on disk afterwards is not counted, and is named.
      const file = join(dataFolder, 'reports', p3.reportId, 'v1.json');
      chmodSync(file, 0o644);
      writeFileSync(file, readFileSync(file, 'utf8').replace('"reader":"plus"', '"reader":"none"'));
      io.stderr = '';
      io.stdout = '';
      assert.equal(await runCli(['validate', '--data', dataFolder], streams), 3);
      assert.match(io.stderr, new RegExp(`not counted: ${p3.reportId} v1: REPORT_`));
      assert.doesNotMatch(io.stdout, new RegExp(`${p3.reportId}@1`));
      assert.match(io.stdout, new RegExp(`${p5.reportId}@1`));
    } finally {
      if (!closed) workstation.data?.close();
    }
  },
);

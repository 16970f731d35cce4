import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_EYE_NAME_PATTERNS,
  eyeFromFileName,
  eyeFromText,
  eyeNamePatternsFrom,
  nameHasToken,
  parseEye,
} from './eye-names.ts';

test('file names of common exports give the eye; words inside other words do not', () => {
  const eye = (name: string) => eyeFromFileName(name)?.eye;
  assert.equal(eye('Image_01R.jpg'), 'OD');
  assert.equal(eye('dicom-samples/fundus-exports/Image_01L.jpg'), 'OS');
  assert.equal(eye('RetCam_OD_0001.png'), 'OD');
  assert.equal(eye('baby-OS.tif'), 'OS');
  assert.equal(eye('right eye.jpg'), 'OD');
  assert.equal(eye('DOCTOR.jpg'), undefined);
  assert.equal(eye('bright.png'), undefined);
  assert.equal(eye('both_OD_and_OS_.jpg'), undefined, 'both eyes named: nothing decided');
  assert.equal(eye('scan.jpg'), undefined);
  assert.equal(nameHasToken('x_od_1.jpg', '_OD_'), true, 'case does not matter');
});

test('a site can name its own tokens; an eye left out keeps the defaults', () => {
  const patterns = eyeNamePatternsFrom({ OS: 'links, _LE_' });
  assert.deepEqual(patterns.OD, DEFAULT_EYE_NAME_PATTERNS.OD);
  assert.deepEqual(patterns.OS, ['links', '_LE_']);
  assert.equal(eyeFromFileName('auge-links.jpg', patterns)?.eye, 'OS');
  assert.equal(eyeFromFileName('Image_01L.jpg', patterns), undefined);
});

test('eye words and free text', () => {
  assert.equal(parseEye(' od '), 'OD');
  assert.equal(parseEye('Left'), 'OS');
  assert.equal(parseEye('nose'), undefined);
  assert.equal(eyeFromText('Fundus, right eye'), 'OD');
  assert.equal(eyeFromText('OS posterior pole'), 'OS');
  assert.equal(eyeFromText('OD and OS'), undefined);
  assert.equal(eyeFromText('COSMOS'), undefined);
});

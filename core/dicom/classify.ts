/**
 * Sorts each image into a workstation domain so the right models and layouts apply:
 *   retina — ophthalmic photography, or a visible-light/secondary-capture photo with
 *            ophthalmic attributes (an eye laterality or an eye anatomic region);
 *   chest  — projection radiography (CR/DX) of the chest, or a photo export of a chest film;
 *   other  — viewable, no AI.
 * The reason is recorded so a reader can see why an image is (or is not) offered to AI.
 */
import type { ImagingDomain } from '../vocabulary/domains.ts';
import {
  OphthalmicPhotographySopClasses,
  SecondaryCaptureSopClass,
  VisibleLightPhotographySopClass,
} from './uids.ts';

export interface ClassificationInput {
  sopClassUid: string;
  modality: string;
  bodyPart: string;
  laterality: string;
  anatomicRegion: string;
  studyDescription: string;
}

export interface Classification {
  domain: ImagingDomain;
  reason: string;
}

const CHEST_WORDS = /\b(CHEST|THORAX|TORAX|LUNGS?)\b/;
const EYE_WORDS = /\b(EYE|RETINA|FUNDUS|OPTIC|OCULAR)\b/;

export function classifyImage(input: ClassificationInput): Classification {
  const modality = input.modality.toUpperCase();
  const body = input.bodyPart.toUpperCase();
  if (OphthalmicPhotographySopClasses.has(input.sopClassUid)) {
    return { domain: 'retina', reason: `Ophthalmic Photography SOP class (${input.sopClassUid})` };
  }
  if (modality === 'OP')
    return { domain: 'retina', reason: 'modality OP (ophthalmic photography)' };
  const photoClass =
    input.sopClassUid === VisibleLightPhotographySopClass ||
    input.sopClassUid === SecondaryCaptureSopClass;
  if (photoClass || modality === 'XC' || modality === 'SC' || modality === 'OT') {
    const eyeLaterality =
      input.laterality === 'R' || input.laterality === 'L' || input.laterality === 'B';
    const eyeRegion = EYE_WORDS.test(input.anatomicRegion.toUpperCase()) || EYE_WORDS.test(body);
    if (eyeRegion)
      return {
        domain: 'retina',
        reason: `${modality || 'photo'} with eye anatomy (${input.anatomicRegion || body})`,
      };
    // A chest film that arrived as a photo export (JPEG/PNG) is wrapped as a VL photograph
    // of the chest: the chest models apply to it as to a film.
    if (CHEST_WORDS.test(input.anatomicRegion.toUpperCase()) || CHEST_WORDS.test(body))
      return {
        domain: 'chest',
        reason: `${modality || 'photo'} of a chest film (${input.anatomicRegion || body})`,
      };
    if (
      modality === 'XC' &&
      eyeLaterality &&
      EYE_WORDS.test(input.studyDescription.toUpperCase())
    ) {
      return {
        domain: 'retina',
        reason: `XC photo with laterality ${input.laterality} and an eye study description`,
      };
    }
  }
  if (modality === 'CR' || modality === 'DX') {
    if (CHEST_WORDS.test(body))
      return { domain: 'chest', reason: `${modality} with body part ${body}` };
    if (!body && /CHEST|THORAX|TORAX/.test(input.studyDescription.toUpperCase())) {
      return {
        domain: 'chest',
        reason: `${modality} with chest study description "${input.studyDescription}"`,
      };
    }
    return {
      domain: 'other',
      reason: `${modality} but body part is ${body ? `"${body}"` : 'not given'}, not chest`,
    };
  }
  return {
    domain: 'other',
    reason: `modality ${modality || 'not given'} is not retinal photography or chest radiography`,
  };
}

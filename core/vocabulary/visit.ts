/**
 * The visit rule, defined once: an exam is one infant's visit in one domain — the images of
 * one patient id taken on one date. For ROP both eyes of that visit are one report (graded
 * side by side); photos of one infant and date therefore group into one visit whatever order
 * they arrive in, and a DICOM study split over several series or uploads stays one exam.
 * An image without a date stands for its own study (never merged with an undated other one).
 * Pure: the page groups its layouts with the same rule.
 */
import { z } from 'zod';
import type { ImagingDomain } from './domains.ts';

export const EYES = ['OD', 'OS'] as const;
export const eyeSchema = z.enum(EYES);
export type Eye = z.infer<typeof eyeSchema>;

/** What the rule reads of an image (the library's instance summary has these fields). */
interface VisitFields {
  instanceId: string;
  patientId: string;
  studyDate: string;
  studyInstanceUid: string;
  domain: ImagingDomain;
}

/** The eye of an image from its laterality (R → OD, L → OS), or undefined. */
export function eyeOf(instance: { laterality: string }): Eye | undefined {
  return instance.laterality === 'R' ? 'OD' : instance.laterality === 'L' ? 'OS' : undefined;
}

/** Eye as clinicians write it, for reports: "OD (right eye)". */
export function eyeLabel(eye: Eye): string {
  return eye === 'OD' ? 'OD (right eye)' : 'OS (left eye)';
}

/** The visit's key: patient id, date and domain (undated: the study, else the image itself). */
export function visitKey(instance: VisitFields): string {
  const date = /^\d{8}$/.test(instance.studyDate) ? instance.studyDate : '';
  const when = date || `study:${instance.studyInstanceUid || instance.instanceId}`;
  return `${instance.domain}|${instance.patientId}|${when}`;
}

export function sameVisit(a: VisitFields, b: VisitFields): boolean {
  return visitKey(a) === visitKey(b);
}

/** The images of one visit, grouped in the order first seen. */
export function groupByVisit<T extends VisitFields>(instances: T[]): Map<string, T[]> {
  const visits = new Map<string, T[]>();
  for (const instance of instances) {
    const key = visitKey(instance);
    const images = visits.get(key);
    if (images) images.push(instance);
    else visits.set(key, [instance]);
  }
  return visits;
}

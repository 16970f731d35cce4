/**
 * Imaging domains, defined once: where AI may help with an image (the classification rules
 * are core/dicom/classify.ts). `retina` and `chest` have a report form, models and a reader's
 * queue; `other` images are kept and shown but never read or analysed.
 */
import { z } from 'zod';

export const IMAGING_DOMAINS = ['retina', 'chest', 'other'] as const;
export const domainSchema = z.enum(IMAGING_DOMAINS);
export type ImagingDomain = z.infer<typeof domainSchema>;

/** The domains that are read and reported: each has a form, models and a reader's role. */
export const READ_DOMAINS = ['retina', 'chest'] as const;
export const readDomainSchema = z.enum(READ_DOMAINS);
export type ReadDomain = z.infer<typeof readDomainSchema>;

export function isReadDomain(domain: string): domain is ReadDomain {
  return (READ_DOMAINS as readonly string[]).includes(domain);
}

/**
 * The roles of a local account, defined once. A reader's role names the domain whose exams
 * they read and sign (an ophthalmologist the retina, a radiologist the chest film); a
 * technician imports and prepares exams for both; an admin manages accounts, models and
 * the site key, and may read either domain.
 */
import { z } from 'zod';
import type { ReadDomain } from './domains.ts';

export const ROLES = ['technician', 'ophthalmologist', 'radiologist', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** The image domain a role reads by default (its queue), if any. */
export function domainOfRole(role: Role): ReadDomain | undefined {
  return role === 'ophthalmologist' ? 'retina' : role === 'radiologist' ? 'chest' : undefined;
}

/** Whether a role may open an exam of this domain for reading. */
export function mayRead(role: Role, domain: string): boolean {
  const own = domainOfRole(role);
  return role === 'admin' || role === 'technician' || own === domain;
}

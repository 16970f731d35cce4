/**
 * Person Name values (PS3.5 6.2.1): up to three component groups separated by "=",
 * alphabetic (single-byte), ideographic and phonetic, each of up to five components
 * separated by "^" (family, given, middle, prefix, suffix).
 */

export interface PersonNameGroups {
  alphabetic: string;
  ideographic: string;
  phonetic: string;
}

/** One decoded PN value (no "\") split into its component groups, padding removed. */
export function personNameGroups(value: string): PersonNameGroups {
  const [alphabetic = '', ideographic = '', phonetic = ''] = value
    .split('=')
    .map((group) => group.trim());
  return { alphabetic, ideographic, phonetic };
}

/**
 * A name as the worklist shows it: components separated by spaces instead of "^", groups
 * kept apart by "=" so that the ideographic and phonetic forms stay visible (and the
 * string remains a valid PN value when written back), empty trailing groups dropped.
 */
export function displayPersonName(value: string): string {
  const groups = value.split('=').map((group) => group.replace(/\^+/g, ' ').trim());
  while (groups.length > 1 && groups[groups.length - 1] === '') groups.pop();
  return groups.join('=');
}

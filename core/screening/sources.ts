/**
 * The publications the screening rules follow, cited in full so that the page can show the
 * source beside every conclusion it draws.
 */
export const ICROP3 =
  'Chiang MF, et al. International Classification of Retinopathy of Prematurity, Third Edition. Ophthalmology 2021;128(10):e51–e68';

export const ETROP =
  'Early Treatment for Retinopathy of Prematurity Cooperative Group. Revised indications for the treatment of retinopathy of prematurity. Arch Ophthalmol 2003;121(12):1684–1694';

export const AAP_2018 =
  'Fierson WM; AAP Section on Ophthalmology, AAO, AAPOS, AACO. Screening examination of premature infants for retinopathy of prematurity. Pediatrics 2018;142(6):e20183061';

export const G_ROP =
  'Binenbaum G, et al. Validation of the Postnatal Growth and Retinopathy of Prematurity Screening Criteria. JAMA Ophthalmol 2020;138(1):31–37';

/** A source with the part of it that a rule comes from. */
export function cite(source: string, part: string): string {
  return `${source} — ${part}`;
}

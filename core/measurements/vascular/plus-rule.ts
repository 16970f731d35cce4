/**
 * The vascular severity indicator: thresholds taken from published plus-disease work, in the
 * units this code measures (tortuosity index = arc / chord of a vessel's centre line, traced
 * from the disc margin out to MEASURE_OUTER_DD disc diameters from the disc centre). No
 * plus-labelled image was available to calibrate or validate it: it is shown with that caveat.
 *
 * Sources (abstract texts read; the full papers were not available to us):
 * - RISA, IOVS ARVO E-abstract (iovs.arvojournals.org, articleid=2365547; the same 34
 *   wide-angle images and 22 experts as Gelman R et al., J AAPOS 2007;11:532–540): mean
 *   arteriolar TI 1.07 in eyes without plus and 1.23 in eyes with plus by expert consensus;
 *   the ICROP standard published photograph measures 1.15, a cut-off with sensitivity 0.84
 *   and specificity 0.39 against the experts (they call plus later than that).
 * - i-ROP group, IOVS ARVO E-abstract (articleid=2359564; published as Keck KM, Kalpathy-
 *   Cramer J, Ataer-Cansizoglu E, You S, Erdogmus D, Chiang MF, Retina 2013;33:1700–1707):
 *   on the same 34 images, mean cumulative arterial TI from 0 to 3.0 DD from the disc centre
 *   was 1.19 in plus and 1.10 in no-plus images (venous 1.11 and 1.06).
 * - ROPtool Plus Index, IOVS ARVO E-abstract (articleid=2368083; Wallace DK, Freedman SF):
 *   each quadrant graded on its most tortuous (and most dilated) major vessel, 2 plus,
 *   1 pre-plus, 0 neither. ROPtool's own cut-offs are in its own index, which we could not
 *   read, so only this structure is used.
 * - Johnston SC, Wallace DK, Freedman SF, Yanovitch TL, Zhao Z, J AAPOS ("Tortuosity of
 *   arterioles and venules in quantifying plus disease"; year not verified): arteriolar
 *   tortuosity alone, or arterioles and venules together, identified plus tortuosity (ROC
 *   AUC 0.91 / 0.93), venules alone did not (0.70). The most tortuous major vessel of a
 *   quadrant is usually its arteriole, so it is compared with arteriolar figures (this code
 *   cannot tell arteries from veins).
 * - ICROP revisited, Arch Ophthalmol 2005;123:991–999 (from memory, not re-read here): plus
 *   disease needs dilation and tortuosity in at least two quadrants; pre-plus is abnormal
 *   but less than plus.
 *
 * Rule: a quadrant's level is that of its most tortuous major vessel — plus-level at TI ≥
 * 1.19 (the i-ROP plus-eye mean over 0–3 DD, the window measured here), pre-plus-level at
 * TI ≥ 1.15 (the standard photograph, RISA), else normal. The eye reads "plus range" when at
 * least two quadrants are plus-level, "pre-plus range" when at least two are pre-plus-level
 * or above, else "no plus" (one abnormal quadrant alone is shown on the overlay but does not
 * move the eye: single smoothly bending vessels reach it in normal child and adult eyes). Widths are reported in pixels and disc
 * diameters but do not enter the rule: no published width threshold in DD-relative units was
 * found.
 */

export const MEASURE_INNER_DD = 0.5;
export const MEASURE_OUTER_DD = 3;
export const TI_PRE_PLUS = 1.15;
export const TI_PLUS = 1.19;
/** Quadrants needed at a level for the eye to reach it (ICROP/ETROP: two quadrants). */
export const QUADRANTS_FOR_LEVEL = 2;

export type QuadrantLevel = 'normal' | 'pre-plus' | 'plus';
export type Indicator =
  'no plus' | 'pre-plus range' | 'plus range' | 'insufficient vessels' | 'disc not found: place it';

export const RULE = {
  measure: `tortuosity index (arc / chord) of each major vessel's centre line from the disc margin (${MEASURE_INNER_DD} DD) to ${MEASURE_OUTER_DD} DD from the disc centre; per quadrant its most tortuous major vessel (ROPtool's quadrant grading)`,
  thresholds: {
    prePlusTortuosityIndex: TI_PRE_PLUS,
    plusTortuosityIndex: TI_PLUS,
    quadrantsForLevel: QUADRANTS_FOR_LEVEL,
  },
  eye: `plus range: ≥ ${QUADRANTS_FOR_LEVEL} quadrants at TI ≥ ${TI_PLUS}; pre-plus range: ≥ ${QUADRANTS_FOR_LEVEL} quadrants at TI ≥ ${TI_PRE_PLUS}; otherwise no plus`,
  source: [
    `TI ${TI_PLUS}: mean cumulative arterial TI from 0 to 3.0 DD from the disc centre in plus images (no plus 1.10) — i-ROP, IOVS ARVO abstract iovs.arvojournals.org/article.aspx?articleid=2359564 (Keck KM et al., Retina 2013;33:1700–1707)`,
    `TI ${TI_PRE_PLUS}: mean arteriolar TI of the ICROP standard published photograph (plus eyes 1.23, no-plus eyes 1.07) — RISA, IOVS ARVO abstract iovs.arvojournals.org/article.aspx?articleid=2365547 (image set of Gelman R et al., J AAPOS 2007;11:532–540)`,
    'quadrant graded on its most tortuous major vessel — ROPtool Plus Index, IOVS ARVO abstract iovs.arvojournals.org/article.aspx?articleid=2368083 (Wallace DK, Freedman SF)',
    'plus needs two quadrants; pre-plus is abnormal but less than plus — ICROP revisited, Arch Ophthalmol 2005;123:991–999',
  ],
  caveat:
    'Thresholds from published studies of other software on other images; not calibrated or validated on plus-labelled images here. Arteries and veins are not told apart (the thresholds are arterial). A measurement for the reader, not a diagnosis.',
} as const;

export function quadrantLevel(maxTortuosityIndex: number): QuadrantLevel {
  return maxTortuosityIndex >= TI_PLUS
    ? 'plus'
    : maxTortuosityIndex >= TI_PRE_PLUS
      ? 'pre-plus'
      : 'normal';
}

/** The eye's indicator from its measured quadrants' levels (at least two measured quadrants needed). */
export function eyeIndicator(levels: QuadrantLevel[]): Indicator {
  if (levels.length < 2) return 'insufficient vessels';
  const plus = levels.filter((l) => l === 'plus').length;
  const atLeastPre = levels.filter((l) => l !== 'normal').length;
  if (plus >= QUADRANTS_FOR_LEVEL) return 'plus range';
  if (atLeastPre >= QUADRANTS_FOR_LEVEL) return 'pre-plus range';
  return 'no plus';
}

/** The category vocabulary of earlier versions (kept for the grading form), from the indicator. */
export type LegacyCategory =
  | 'insufficient vessels'
  | 'below standard photograph'
  | 'between standard photograph and plus mean'
  | 'at or above plus mean';

export function legacyCategory(indicator: Indicator): LegacyCategory {
  switch (indicator) {
    case 'plus range':
      return 'at or above plus mean';
    case 'pre-plus range':
      return 'between standard photograph and plus mean';
    case 'no plus':
      return 'below standard photograph';
    default:
      return 'insufficient vessels';
  }
}

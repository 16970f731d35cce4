/**
 * Jensen EA et al., Am J Respir Crit Care Med 2019;200(6):751–759: BPD graded by the mode of
 * respiratory support at 36 weeks PMA, whatever the oxygen. A clinical grade: it is entered in
 * the patient record, not read off a film.
 */
export const BPD_GRADES = [
  'no BPD',
  'grade 1 (nasal cannula ≤ 2 L/min)',
  'grade 2 (nasal cannula > 2 L/min or non-invasive positive pressure)',
  'grade 3 (invasive mechanical ventilation)',
] as const;
export type BpdGrade = (typeof BPD_GRADES)[number];

export const BPD_GRADE_SOURCE =
  'Jensen EA et al. The diagnosis of bronchopulmonary dysplasia in very preterm infants. Am J Respir Crit Care Med 2019;200(6):751–759';

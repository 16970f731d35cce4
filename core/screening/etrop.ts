/**
 * The ETROP treatment classification of one eye (Early Treatment for ROP Cooperative Group,
 * Arch Ophthalmol 2003), read with ICROP3's mapping: posterior zone II counts as zone II, and
 * A-ROP warrants treatment. ETROP's plus disease is dilation and tortuosity in at least two
 * quadrants, so pre-plus counts as "without plus".
 */
import {
  isDetachment,
  zoneWords,
  type EyeFindings,
  type Plus,
  type Stage,
  type Zone,
} from './icrop3.ts';
import { AAP_2018, ETROP, ICROP3, cite } from './sources.ts';

export type EtropCategory = 'type 1' | 'type 2' | 'neither' | 'incomplete' | 'stage 4–5';

export interface EtropResult {
  category: EtropCategory;
  treatmentWarranted: boolean;
  /** What to do and by when. */
  urgency: string;
  /** The row that matched, in words. */
  rule: string;
  source: string;
}

const TYPE_1_TIMING = cite(AAP_2018, 'treatment of type 1 ROP within 72 hours');

export const URGENCY: Record<EtropCategory, string> = {
  'type 1': 'Treatment warranted: treat within 72 hours of the diagnosis',
  'type 2': 'No treatment now: examine serially and treat if it progresses to type 1',
  neither: 'No treatment by ETROP criteria: follow the screening schedule',
  incomplete: 'Cannot classify until the missing findings are recorded',
  'stage 4–5': 'Retinal detachment: refer urgently to a vitreoretinal surgeon',
};

type Row = { category: 'type 1' | 'type 2' | 'neither'; rule: string };

/** The ETROP table for zones I, II and III. */
function bareRow(zone: 'I' | 'II' | 'III', stage: Stage, withPlus: boolean): Row {
  if (stage === '0') {
    const hint = withPlus ? '; plus disease recorded without ROP: look for A-ROP' : '';
    return { category: 'neither', rule: `No ROP (stage 0, immature vascularisation)${hint}` };
  }
  if (zone === 'I') {
    if (withPlus) return { category: 'type 1', rule: 'Zone I, any stage ROP with plus disease' };
    if (stage === '3')
      return { category: 'type 1', rule: 'Zone I, stage 3 ROP without plus disease' };
    return { category: 'type 2', rule: 'Zone I, stage 1 or 2 ROP without plus disease' };
  }
  if (zone === 'III')
    return { category: 'neither', rule: 'Zone III ROP: neither type 1 nor type 2' };
  if (stage !== '1' && withPlus)
    return { category: 'type 1', rule: 'Zone II, stage 2 or 3 ROP with plus disease' };
  if (stage === '3')
    return { category: 'type 2', rule: 'Zone II, stage 3 ROP without plus disease' };
  const detail = stage === '1' ? (withPlus ? ' with plus disease' : '') : ' without plus disease';
  return {
    category: 'neither',
    rule: `Zone II, stage ${stage} ROP${detail}: neither type 1 nor type 2`,
  };
}

/** The row for a recorded zone, stage and plus status, with how ICROP3 terms were read. */
function tableRow(zone: Zone, stage: Stage, plus: Plus): Row {
  const row = bareRow(zone === 'posterior II' ? 'II' : zone, stage, plus === 'plus');
  const notes: string[] = [];
  if (plus === 'pre-plus' && row.rule.includes('without plus'))
    notes.push('pre-plus counts as without plus');
  if (zone === 'posterior II' && stage !== '0')
    notes.push('posterior zone II counts as zone II, ICROP3');
  return notes.length ? { ...row, rule: `${row.rule} (${notes.join('; ')})` } : row;
}

/** The row when plus disease is unrecorded: the same category either way, else undefined. */
function rowWhateverPlus(zone: Zone, stage: Stage, plus: Plus | undefined): Row | undefined {
  if (plus) return tableRow(zone, stage, plus);
  const [withPlus, without] = [tableRow(zone, stage, 'plus'), tableRow(zone, stage, 'none')];
  if (withPlus.category !== without.category) return undefined;
  if (stage === '0') return without;
  const where = zoneWords(zone);
  const what = without.category === 'neither' ? 'neither type 1 nor type 2' : without.category;
  return {
    category: without.category,
    rule: `${where[0]!.toUpperCase()}${where.slice(1)}, stage ${stage} ROP: ${what} whether or not plus disease is present (plus disease not recorded)`,
  };
}

function result(category: EtropCategory, rule: string, source: string): EtropResult {
  const treatmentWarranted = category === 'type 1' || category === 'stage 4–5';
  return { category, treatmentWarranted, urgency: URGENCY[category], rule, source };
}

export function etropClass(eye: EyeFindings): EtropResult {
  const { zone, stage, plus, course } = eye;
  if (stage && isDetachment(stage))
    return result(
      'stage 4–5',
      `Stage ${stage}: retinal detachment`,
      cite(ICROP3, 'stages 4 and 5'),
    );
  if (eye.aRop)
    return result(
      'type 1',
      'A-ROP: treatment warranted as for type 1 ROP',
      `${cite(ICROP3, 'aggressive ROP')}; ${TYPE_1_TIMING}`,
    );
  const row = zone && stage ? rowWhateverPlus(zone, stage, plus) : undefined;
  if (course === 'regressed' || course === 'persistent avascular retina') {
    // A recorded course never hides findings that meet type 1.
    if (row?.category === 'type 1')
      return result(
        'type 1',
        `${row.rule} (course recorded as ${course})`,
        `${ETROP}; ${TYPE_1_TIMING}`,
      );
    const words =
      course === 'regressed'
        ? 'ROP regressed: ETROP classifies acute ROP; no treatment category applies'
        : 'Persistent avascular retina: not an ETROP treatment category; follow for reactivation';
    return result('neither', words, cite(ICROP3, 'regression and persistent avascular retina'));
  }
  if (!zone || !stage) {
    const missing = [zone ? '' : 'zone', stage ? '' : 'stage'].filter(Boolean).join(' and ');
    return result('incomplete', `The ${missing} must be recorded to classify`, ETROP);
  }
  if (!row) {
    const [a, b] = [tableRow(zone, stage, 'plus'), tableRow(zone, stage, 'none')];
    return result(
      'incomplete',
      `Plus disease must be recorded: ${zoneWords(zone)} stage ${stage} is ${a.category} with plus disease and ${b.category} without`,
      ETROP,
    );
  }
  const rule = course === 'reactivated' ? `${row.rule} (reactivated ROP)` : row.rule;
  return result(
    row.category,
    rule,
    row.category === 'type 1' ? `${ETROP}; ${TYPE_1_TIMING}` : ETROP,
  );
}

/**
 * The viewer's measurement tools, registered in one table (as OHIF registers tools): the
 * key that starts each, the clicks it takes, the domains it serves and the shapes it draws,
 * all in image pixels. The viewport draws whatever this table says. A reading's numbers and
 * text come from core (core/measurements/geometry), the functions the workstation saves and
 * signs with, so the live reading is the one saved.
 */
import type { AnnotationKind } from '../../../core/api/contract-worklist.ts';
import type { DecodedFrame } from '../../../core/api/schemas.ts';
import { formatMeasurement } from '../../../core/measurements/geometry/format.ts';
import { measureAnnotation, zoneOneRadius } from '../../../core/measurements/geometry/measure.ts';
import type { ImagePoint } from '../../../core/measurements/geometry/units.ts';

export type { ImagePoint };
type Spacing = DecodedFrame['spacing'];

export interface ToolShapes {
  lines: Array<[ImagePoint, ImagePoint]>;
  circles: Array<{ centre: ImagePoint; radius: number; label?: string }>;
}

export interface MeasurementTool {
  kind: AnnotationKind;
  name: string;
  key: string;
  domains: Array<'retina' | 'chest' | 'other'>;
  steps: string[];
  shapes(points: readonly ImagePoint[]): ToolShapes;
}

/** The reading shown while placing, or undefined until the points make the measurement. */
export function readingOf(
  kind: AnnotationKind,
  points: readonly ImagePoint[],
  spacing: Spacing,
): string | undefined {
  const values = measureAnnotation(kind, points, spacing);
  return values && formatMeasurement(kind, values);
}

const distance = (a: ImagePoint, b: ImagePoint) => Math.hypot(b.x - a.x, b.y - a.y);
const midpoint = (a: ImagePoint, b: ImagePoint) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

const none = (): ToolShapes => ({ lines: [], circles: [] });

export const MEASUREMENT_TOOLS: MeasurementTool[] = [
  {
    kind: 'length',
    name: 'Length',
    key: 'l',
    domains: ['chest', 'retina', 'other'],
    steps: ['start', 'end'],
    shapes: (p) => ({ lines: p.length >= 2 ? [[p[0]!, p[1]!]] : [], circles: [] }),
  },
  {
    kind: 'angle',
    name: 'Angle',
    key: 'a',
    domains: ['chest', 'retina', 'other'],
    steps: ['first arm', 'vertex', 'second arm'],
    shapes: (p) => ({
      lines:
        p.length >= 2
          ? [[p[0]!, p[1]!], ...(p.length >= 3 ? [[p[1]!, p[2]!] as [ImagePoint, ImagePoint]] : [])]
          : [],
      circles: [],
    }),
  },
  {
    kind: 'ctr',
    name: 'CTR',
    key: 'c',
    domains: ['chest'],
    steps: [
      'thoracic: right margin',
      'thoracic: left margin',
      'heart: right border',
      'heart: left border',
    ],
    shapes: (p) => ({
      lines: [
        ...(p.length >= 2 ? [[p[0]!, p[1]!] as [ImagePoint, ImagePoint]] : []),
        ...(p.length >= 4 ? [[p[2]!, p[3]!] as [ImagePoint, ImagePoint]] : []),
      ],
      circles: [],
    }),
  },
  {
    kind: 'disc-ruler',
    name: 'Disc ruler',
    key: 'd',
    domains: ['retina'],
    steps: ['one edge of the optic disc', 'the opposite edge'],
    // The disc, then rings at 1, 2 and 3 disc diameters from its centre (distances are given in DD in ROP work).
    shapes: (p) => {
      if (p.length < 2) return none();
      const dd = distance(p[0]!, p[1]!);
      const centre = midpoint(p[0]!, p[1]!);
      return {
        lines: [[p[0]!, p[1]!]],
        circles: [
          { centre, radius: dd / 2 },
          ...[1, 2, 3].map((n) => ({ centre, radius: n * dd, label: `${n} DD` })),
        ],
      };
    },
  },
  {
    kind: 'zone-i',
    name: 'Zone I',
    key: 'z',
    domains: ['retina'],
    steps: ['centre of the optic disc', 'centre of the fovea'],
    shapes: (p) =>
      p.length >= 2
        ? {
            lines: [[p[0]!, p[1]!]],
            circles: [{ centre: p[0]!, radius: zoneOneRadius(p[0]!, p[1]!), label: 'zone I' }],
          }
        : none(),
  },
];

export function toolFor(kind: AnnotationKind): MeasurementTool {
  return MEASUREMENT_TOOLS.find((t) => t.kind === kind)!;
}

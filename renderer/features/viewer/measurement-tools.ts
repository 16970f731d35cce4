/**
 * The viewer's measurement tools, registered in one table (as OHIF registers tools): the
 * key that starts each, the clicks it takes, the domains it serves, its reading and the
 * shapes it draws, all in image pixels. The viewport draws whatever this table says.
 */
import type { AnnotationKind } from '../../../core/api/contract-worklist.ts';
import type { DecodedFrame } from '../../../core/api/schemas.ts';
import { ctrReading, type ImagePoint } from './ctr-tool.ts';

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
  /** The reading shown live and saved, or undefined until enough points are placed. */
  read(points: readonly ImagePoint[], spacing: Spacing): string | undefined;
  shapes(points: readonly ImagePoint[]): ToolShapes;
}

const distance = (a: ImagePoint, b: ImagePoint) => Math.hypot(b.x - a.x, b.y - a.y);
const midpoint = (a: ImagePoint, b: ImagePoint) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/** Length in mm where the image has a spacing (row and column spacing may differ), else in pixels. */
export function lengthReading(a: ImagePoint, b: ImagePoint, spacing: Spacing): string {
  if (!spacing) return `${distance(a, b).toFixed(1)} px`;
  const mm = Math.hypot((b.x - a.x) * spacing.column, (b.y - a.y) * spacing.row);
  // Imager Pixel Spacing is at the detector: the patient is magnified by the beam's divergence.
  return `${mm.toFixed(1)} mm${spacing.source === 'PixelSpacing' ? '' : ' (uncalibrated)'}`;
}

/** The angle at the middle point, 0–180°. */
export function angleDegrees(a: ImagePoint, vertex: ImagePoint, c: ImagePoint): number {
  const u = { x: a.x - vertex.x, y: a.y - vertex.y };
  const v = { x: c.x - vertex.x, y: c.y - vertex.y };
  const cos = (u.x * v.x + u.y * v.y) / Math.max(1e-9, Math.hypot(u.x, u.y) * Math.hypot(v.x, v.y));
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

/** ICROP3: zone I is the circle centred on the optic disc with twice the disc–fovea distance as radius. */
export function zoneOneRadius(disc: ImagePoint, fovea: ImagePoint): number {
  return 2 * distance(disc, fovea);
}

const none = (): ToolShapes => ({ lines: [], circles: [] });

export const MEASUREMENT_TOOLS: MeasurementTool[] = [
  {
    kind: 'length',
    name: 'Length',
    key: 'l',
    domains: ['chest', 'retina', 'other'],
    steps: ['start', 'end'],
    read: (p, spacing) => (p.length >= 2 ? lengthReading(p[0]!, p[1]!, spacing) : undefined),
    shapes: (p) => ({ lines: p.length >= 2 ? [[p[0]!, p[1]!]] : [], circles: [] }),
  },
  {
    kind: 'angle',
    name: 'Angle',
    key: 'a',
    domains: ['chest', 'retina', 'other'],
    steps: ['first arm', 'vertex', 'second arm'],
    read: (p) => (p.length >= 3 ? `${angleDegrees(p[0]!, p[1]!, p[2]!).toFixed(1)}°` : undefined),
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
    read: (p, spacing) => {
      const r = ctrReading(p, spacing?.column);
      if (!r) return undefined;
      const width = (px: number, mm?: number) =>
        mm ? `${mm.toFixed(0)} mm` : `${px.toFixed(0)} px`;
      return `CTR ${r.ratio.toFixed(2)} · heart ${width(r.cardiacPx, r.cardiacMm)} / thorax ${width(r.thoracicPx, r.thoracicMm)}`;
    },
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
    read: (p) => (p.length >= 2 ? `1 DD = ${distance(p[0]!, p[1]!).toFixed(0)} px` : undefined),
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
    read: (p) =>
      p.length >= 2
        ? `zone I radius ${zoneOneRadius(p[0]!, p[1]!).toFixed(0)} px (2 × disc–fovea ${distance(p[0]!, p[1]!).toFixed(0)} px)`
        : undefined,
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

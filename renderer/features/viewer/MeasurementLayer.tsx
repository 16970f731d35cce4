/**
 * Draws measurements over the image: the one being placed (with draggable handles) and
 * those saved with the image (with their reading). Shapes come from the tool table in image
 * pixels and are mapped to the screen with the viewport's own transform.
 */
import * as cornerstone from 'cornerstone-core';
import type { AnnotationKind } from '../../../core/api/contract-worklist.ts';
import { toolFor, type ImagePoint } from './measurement-tools.ts';

export interface DrawnMeasurement {
  key: string;
  kind: AnnotationKind;
  points: ImagePoint[];
  label?: string;
  saved: boolean;
}

const COLOURS = { placing: '#3ee0e6', saved: '#ffd447', ctrThorax: '#ff5a5a' };

export function MeasurementLayer({
  element,
  measurements,
}: {
  element: HTMLElement;
  measurements: DrawnMeasurement[];
}) {
  const toCanvas = (p: ImagePoint) =>
    cornerstone.pixelToCanvas(element, p as cornerstone.PixelCoordinate);
  return (
    <svg className="viewport-measurements" aria-hidden="true">
      {measurements.map((m) => {
        const shapes = toolFor(m.kind).shapes(m.points);
        const colour = m.saved ? COLOURS.saved : COLOURS.placing;
        const handles = m.points.map(toCanvas);
        const labelAt = handles[handles.length - 1];
        return (
          <g key={m.key} data-kind={m.kind} data-saved={m.saved}>
            {shapes.lines.map(([a, b], i) => {
              const [p, q] = [toCanvas(a), toCanvas(b)];
              // The CTR's first line is the thorax (red), the second the heart.
              const stroke = m.kind === 'ctr' && i === 0 && !m.saved ? COLOURS.ctrThorax : colour;
              return (
                <line key={i} x1={p.x} y1={p.y} x2={q.x} y2={q.y} stroke={stroke} strokeWidth={2} />
              );
            })}
            {shapes.circles.map((c, i) => {
              const centre = toCanvas(c.centre);
              const edge = toCanvas({ x: c.centre.x + c.radius, y: c.centre.y });
              const r = Math.hypot(edge.x - centre.x, edge.y - centre.y);
              return (
                <g key={`c${i}`}>
                  <circle
                    cx={centre.x}
                    cy={centre.y}
                    r={r}
                    fill="none"
                    stroke={colour}
                    strokeWidth={c.label === 'zone I' ? 2.5 : 1.5}
                    strokeDasharray={c.label && c.label !== 'zone I' ? '6 4' : undefined}
                  />
                  {c.label ? (
                    <text
                      x={centre.x + r * 0.71 + 4}
                      y={centre.y - r * 0.71 - 4}
                      fill={colour}
                      className="measurement-label"
                    >
                      {c.label}
                    </text>
                  ) : null}
                </g>
              );
            })}
            {m.saved
              ? null
              : handles.map((p, i) => (
                  <circle
                    key={`h${i}`}
                    cx={p.x}
                    cy={p.y}
                    r={4}
                    fill={m.kind === 'ctr' && i < 2 ? COLOURS.ctrThorax : colour}
                  />
                ))}
            {m.label && labelAt ? (
              <text x={labelAt.x + 8} y={labelAt.y - 8} fill={colour} className="measurement-label">
                {m.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

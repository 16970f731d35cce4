/**
 * The corner text over the image: caption, patient and image, VOI and frame, calibration, the
 * warnings the importer found, view geometry, the pixel under the pointer.
 */
import * as cornerstone from 'cornerstone-core';
import type { DecodedFrame, InstanceSummary } from '../../../core/api/schemas.ts';
import type { VoiChoice } from './cornerstone-image.ts';
import type { ColourView } from './display-modes.ts';
import { viewTransformLabel } from './view-keys.ts';
import { calibrationNote, voiLabel } from './viewport-readout.ts';

export interface ViewportOverlayProps {
  instance: InstanceSummary;
  frame: DecodedFrame;
  voi?: VoiChoice;
  frameIndex: number;
  view: ColourView;
  caption?: string;
  element: HTMLElement | null;
  pointer?: { x: number; y: number; value: string };
  testId: string;
}

export function ViewportOverlay({
  instance,
  frame,
  voi,
  frameIndex,
  view,
  caption,
  element,
  pointer,
  testId,
}: ViewportOverlayProps) {
  const viewport = element ? cornerstone.getViewport(element) : undefined;
  return (
    <div className="viewport-overlay">
      {caption ? (
        <span className="viewport-caption" data-testid={`${testId}-caption`}>
          {caption}
        </span>
      ) : null}
      <span>
        {instance.patientName || 'Unnamed'} · {instance.modality} ·{' '}
        {instance.laterality ? `laterality ${instance.laterality} · ` : ''}
        {instance.photometric}
        {view !== 'colour' && frame.samplesPerPixel === 3 ? ` · ${view} view` : ''}
      </span>
      <span>
        {voiLabel(frame, voi)} · frame {frameIndex + 1}/{instance.frames}
      </span>
      <span className="calibration">{calibrationNote(frame)}</span>
      {/* Defects found at import (e.g. labelled lossless but lossy) stay with the image on screen. */}
      {instance.warnings.map((w) => (
        <span
          key={`${w.code}:${w.message}`}
          className="import-warning"
          data-testid={`${testId}-warning`}
          data-code={w.code}
        >
          ⚠ {w.message}
        </span>
      ))}
      {viewport ? (
        <span data-testid={`${testId}-view-transform`}>
          {viewTransformLabel({
            scale: viewport.scale ?? 1,
            rotation: viewport.rotation ?? 0,
            hflip: Boolean(viewport.hflip),
            vflip: Boolean(viewport.vflip),
          })}
        </span>
      ) : null}
      {pointer ? (
        <span data-testid={`${testId}-pixel-readout`}>
          ({pointer.x}, {pointer.y}) px
          {frame.spacing
            ? ` · (${(pointer.x * frame.spacing.column).toFixed(1)}, ${(pointer.y * frame.spacing.row).toFixed(1)}) mm`
            : ''}{' '}
          · value {pointer.value}
        </span>
      ) : null}
    </div>
  );
}

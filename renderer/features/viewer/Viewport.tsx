/**
 * One cornerstone-core viewport showing a library image, with the reader's tools:
 * left drag sets window/level (W steps through presets, V through the file's own), view
 * keys (view-keys.ts), measurement tools from the tool table (measurement-tools.ts: L, A, C,
 * D, Z; S saves, Esc cancels), the magnifier (M), frames (PageUp/PageDown, wheel), right or
 * Shift drag pans, R resets. Several viewports may share the screen: only the active one
 * takes the keyboard. The time from the viewport being given an image to cornerstone
 * drawing its pixels is recorded with performance.mark ('neoscope:choose-to-pixels').
 */
import * as cornerstone from 'cornerstone-core';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DecodedFrame, InstanceSummary } from '../../../core/api/schemas.ts';
import { useApi } from '../../api/ApiProvider.tsx';
import {
  defaultVoi,
  defaultWindow,
  toCornerstoneImage,
  voiLutFor,
  type VoiChoice,
} from './cornerstone-image.ts';
import { colourView, type ColourView } from './display-modes.ts';
import { drawnAtDisplayResolution } from './display-level-render.ts';
import type { HeatMap, OverlayStyle } from './heat-overlay.ts';
import { Magnifier } from './Magnifier.tsx';
import { MeasurementLayer } from './MeasurementLayer.tsx';
import { recentImages } from './recent-images.ts';
import { SavedMeasurements } from './SavedMeasurements.tsx';
import { useAiOverlay } from './use-ai-overlay.ts';
import { onceDrawn, useCornerstoneElement } from './use-cornerstone-element.ts';
import { useMeasurements } from './use-measurements.ts';
import { useWindowLevelDrag } from './use-window-level-drag.ts';
import { isTyping, viewChangeFor } from './view-keys.ts';
import { ViewerToolbar } from './ViewerToolbar.tsx';
import { ViewportOverlay } from './ViewportOverlay.tsx';
import { filePresets, pointerReadout } from './viewport-readout.ts';
import { windowPresets, type WindowPreset } from './window-presets.ts';

export interface OverlayDisplay extends OverlayStyle {
  visible: boolean;
}

export interface ViewportProps {
  instance: InstanceSummary;
  onError(error: { message: string; code?: string; file?: string }): void;
  /** AI map to draw over the image (image pixels, 0..1), how to draw it, and a region to outline. */
  overlay?: HeatMap;
  overlayDisplay?: OverlayDisplay;
  highlight?: { x: number; y: number; width: number; height: number };
  /** Only the active viewport takes keyboard shortcuts (default: active). */
  active?: boolean;
  onActivate?(): void;
  /** How a colour image is shown (retina: colour, red-free, enhanced). */
  view?: ColourView;
  /** A line naming what this viewport shows (eye, date, PMA), top left. */
  caption?: string;
  /** Layout controls shown at the end of the viewport's toolbar (e.g. prior comparison). */
  toolbarExtra?: ReactNode;
  /** Called after a measurement was entered in the exam's report (the report panel reloads). */
  onReportChanged?(): void;
  testId?: string;
}

interface Readout {
  frame: DecodedFrame;
  voi?: VoiChoice;
}

/** A frame as drawn: its decoded pixels and the cornerstone image made of them for one view. */
interface ShownImage {
  frame: DecodedFrame;
  image: cornerstone.Image;
}

/** Images kept per viewport for going back: the film before, and the one before that. */
const RECENT_IMAGES = 3;

const presetVoi = (preset: WindowPreset): VoiChoice => ({
  kind: 'window',
  window: { center: preset.center, width: preset.width, explanation: `${preset.name} preset` },
});
/** The preset shown, by name, or undefined for any other window. */
const shownPreset = (presets: WindowPreset[], shown: VoiChoice | undefined) =>
  presets.find((p) => shown?.kind === 'window' && `${p.name} preset` === shown.window.explanation);

export function Viewport({
  instance,
  onError,
  overlay,
  overlayDisplay,
  highlight,
  active = true,
  onActivate,
  view = 'colour',
  caption,
  toolbarExtra,
  onReportChanged,
  testId = 'viewport',
}: ViewportProps) {
  const api = useApi();
  const element = useCornerstoneElement();
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const [frameIndex, setFrameIndex] = useState(0);
  const [readout, setReadout] = useState<Readout>();
  /** The readout as the keyboard and the drag must see it, ahead of React's next render. */
  const readoutRef = useRef<Readout>(undefined);
  const [pointer, setPointer] = useState<{ x: number; y: number; value: string }>();
  const [magnifier, setMagnifier] = useState(false);
  const [pointerOnCanvas, setPointerOnCanvas] = useState<{ x: number; y: number }>();
  /** The decoded frame last fetched, so switching the colour view does not fetch it again. */
  const fetched = useRef<DecodedFrame>(undefined);
  const recent = useRef(recentImages<ShownImage>(RECENT_IMAGES));
  const presets = useMemo(
    () => (readout ? windowPresets(readout.frame, instance.modality) : []),
    [readout?.frame, instance.modality],
  );
  const measurements = useMeasurements(
    api,
    instance,
    element,
    readout?.frame.spacing,
    onError,
    onReportChanged,
  );

  useEffect(() => setFrameIndex(0), [instance.instanceId]);

  useEffect(() => {
    let cancelled = false;
    let stopWaiting = () => {};
    const el = element.current!;
    const id = `${instance.instanceId}/${frameIndex}`;
    const key = `${id}/${view}`;
    const sameFrame =
      fetched.current && `${fetched.current.instanceId}/${fetched.current.frame}` === id;
    if (!sameFrame) performance.mark('neoscope:image-chosen');
    const kept = recent.current.get(key);
    const load = sameFrame
      ? Promise.resolve(fetched.current!)
      : kept
        ? Promise.resolve(kept.frame)
        : api.call('image.frame', { instanceId: instance.instanceId, frame: frameIndex });
    load
      .then((frame) => {
        if (cancelled) return;
        fetched.current = frame;
        const image =
          kept?.image ??
          drawnAtDisplayResolution(
            toCornerstoneImage(colourView(frame, view), view === 'colour' ? '' : view),
          );
        recent.current.remember(key, { frame, image });
        // Switching the colour view keeps the reader's zoom and pan.
        const keep = sameFrame ? cornerstone.getViewport(el) : undefined;
        const viewport = keep ?? cornerstone.getDefaultViewportForImage(el, image);
        const voi = frame.samplesPerPixel === 1 ? defaultVoi(frame) : undefined;
        if (voi && !keep) viewport.voiLUT = voiLutFor(frame, voi);
        if (!sameFrame) readoutRef.current = { frame, voi };
        cornerstone.displayImage(el, image, viewport);
        // The readout's React render waits until the pixels are drawn: the image comes first.
        stopWaiting = onceDrawn(el, image, () => {
          el.dataset.renderedImage = id;
          el.dataset.colourView = view;
          if (sameFrame) return;
          performance.mark('neoscope:first-pixels');
          performance.measure(
            'neoscope:choose-to-pixels',
            'neoscope:image-chosen',
            'neoscope:first-pixels',
          );
          setReadout(readoutRef.current);
        });
      })
      .catch((error: { message: string; code?: string }) => {
        if (!cancelled)
          onError({ message: error.message, code: error.code, file: instance.fileName });
      });
    return () => {
      cancelled = true;
      stopWaiting();
    };
  }, [api, instance, frameIndex, onError, view, element]);

  const applyVoi = (voi: VoiChoice) => {
    const el = element.current!;
    const current = readoutRef.current;
    const viewport = cornerstone.getViewport(el);
    if (!current || !viewport) return;
    viewport.voiLUT = voiLutFor(current.frame, voi);
    cornerstone.setViewport(el, viewport);
    readoutRef.current = { ...current, voi };
    setReadout(readoutRef.current);
  };

  useWindowLevelDrag(element, {
    enabled: () => !measurements.current,
    window: () => {
      const current = readoutRef.current;
      if (!current?.voi) return undefined;
      return current.voi.kind === 'window' ? current.voi.window : defaultWindow(current.frame);
    },
    apply: (window) => applyVoi({ kind: 'window', window }),
  });

  const keyHandler = useRef<(e: KeyboardEvent) => void>(undefined);
  keyHandler.current = (e: KeyboardEvent) => {
    if (!active || isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = element.current!;
    const viewport = cornerstone.getViewport(el);
    if (!viewport) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const change = viewChangeFor(e.key);
    const frame = readoutRef.current?.frame;
    const voi = readoutRef.current?.voi;
    const tool = measurements.tools.find((t) => t.key === key);
    if (change) cornerstone.setViewport(el, change(viewport));
    else if (key === 'f') cornerstone.fitToWindow(el);
    else if (key === 'r') {
      cornerstone.reset(el);
      if (frame && voi) applyVoi(defaultVoi(frame));
    } else if (key === 'v' && frame && voi) {
      const presets = filePresets(frame);
      const index = presets.findIndex((p) => JSON.stringify(p) === JSON.stringify(voi));
      if (presets.length) applyVoi(presets[(index + 1) % presets.length]!);
    } else if (key === 'w' && frame && voi) {
      // Film/CT presets in turn, then back to the file's default.
      const next = presets[presets.indexOf(shownPreset(presets, voi)!) + 1];
      applyVoi(next ? presetVoi(next) : defaultVoi(frame));
    } else if (tool) measurements.toggle(tool.kind);
    else if (key === 's' && measurements.complete) void measurements.save();
    else if (key === 'Escape' && measurements.kind) measurements.toggle(measurements.kind);
    else if (key === 'm') setMagnifier((m) => !m);
    else if (key === 'PageDown') setFrameIndex((f) => Math.min(instance.frames - 1, f + 1));
    else if (key === 'PageUp') setFrameIndex((f) => Math.max(0, f - 1));
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keyHandler.current?.(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useAiOverlay(element, overlayCanvas, { map: overlay, display: overlayDisplay, highlight });

  const onMove = (e: React.MouseEvent) => {
    const el = element.current;
    if (!el || !cornerstone.getViewport(el) || !readout) return;
    const p = measurements.toImage(e);
    measurements.onPointer(p);
    setPointer(pointerReadout(readout.frame, p));
    if (magnifier) {
      const rect = el.getBoundingClientRect();
      setPointerOnCanvas({ x: e.clientX - rect.left, y: e.clientY - rect.top });
    }
  };
  const onWheel = (e: React.WheelEvent) => {
    if (instance.frames > 1)
      setFrameIndex((f) => Math.max(0, Math.min(instance.frames - 1, f + Math.sign(e.deltaY))));
  };

  const el = element.current;
  const drawable = Boolean(el && readout && cornerstone.getViewport(el));
  return (
    <div className={`viewport-frame${active ? ' active' : ''}`} data-testid={`${testId}-frame`}>
      <ViewerToolbar
        measurements={measurements}
        chest={instance.domain === 'chest'}
        magnifier={magnifier}
        onMagnifier={() => setMagnifier((m) => !m)}
        presets={readout?.voi ? presets.map((p) => p.name) : []}
        preset={shownPreset(presets, readout?.voi)?.name}
        onPreset={(name) => {
          const chosen = presets.find((p) => p.name === name);
          if (readout) applyVoi(chosen ? presetVoi(chosen) : defaultVoi(readout.frame));
        }}
        extra={toolbarExtra}
        testId={testId}
      />
      <div className="viewport-stage">
        <div
          className={measurements.current ? 'viewport measuring' : 'viewport'}
          ref={element}
          onWheel={onWheel}
          onContextMenu={(e) => e.preventDefault()}
          onMouseDown={(e) => {
            onActivate?.();
            measurements.onMouseDown(e);
          }}
          onMouseUp={measurements.onMouseUp}
          onMouseMove={onMove}
          onMouseLeave={() => {
            setPointer(undefined);
            setPointerOnCanvas(undefined);
          }}
          data-testid={testId}
        />
        <canvas
          className="viewport-ai-overlay"
          ref={overlayCanvas}
          data-testid={`${testId}-ai-overlay`}
          aria-hidden="true"
        />
        {drawable ? <MeasurementLayer element={el!} measurements={measurements.drawn} /> : null}
        {magnifier && pointerOnCanvas && el ? (
          <Magnifier element={el} at={pointerOnCanvas} />
        ) : null}
        <SavedMeasurements
          saved={measurements.saved}
          onDelete={(id) => void measurements.remove(id)}
          onUseInReport={(a) => void measurements.useInReport(a)}
          testId={testId}
        />
        {readout ? (
          <ViewportOverlay
            instance={instance}
            frame={readout.frame}
            voi={readout.voi}
            frameIndex={frameIndex}
            view={view}
            caption={caption}
            element={el}
            pointer={pointer}
            testId={testId}
          />
        ) : null}
      </div>
    </div>
  );
}

/**
 * One cornerstone-core viewport showing a library image, with the reader's tools:
 * left drag sets window/level (W steps through presets, V through the file's own), view
 * keys (view-keys.ts), measurement tools from the tool table (measurement-tools.ts: L, A, C,
 * D, Z; S saves, Esc cancels), the magnifier (M), frames (PageUp/PageDown, wheel), right or
 * Shift drag pans, R resets. Several viewports may share the screen: only the active one
 * takes the keyboard. The time from choosing an image to its first drawn pixels is
 * recorded with performance.mark.
 */
import * as cornerstone from 'cornerstone-core';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Annotation, AnnotationKind } from '../../../core/api/contract-worklist.ts';
import type { DecodedFrame, InstanceSummary } from '../../../core/api/schemas.ts';
import type { ApiClient } from '../../api/client.ts';
import { defaultVoi, defaultWindow, toCornerstoneImage, voiLutFor, type VoiChoice } from './cornerstone-image.ts';
import { colourView, type ColourView } from './display-modes.ts';
import { drawHeatOverlay, type HeatMap, type OverlayStyle } from './heat-overlay.ts';
import { Magnifier } from './Magnifier.tsx';
import { MeasurementLayer, type DrawnMeasurement } from './MeasurementLayer.tsx';
import { MEASUREMENT_TOOLS, toolFor, type ImagePoint } from './measurement-tools.ts';
import { isTyping, viewChangeFor, viewTransformLabel } from './view-keys.ts';
import { calibrationNote, filePresets, pointerReadout, voiLabel } from './viewport-readout.ts';
import { windowPresets } from './window-presets.ts';

export interface OverlayDisplay extends OverlayStyle {
  visible: boolean;
}

export interface ViewportProps {
  api: ApiClient;
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
  testId?: string;
}

interface Readout {
  frame: DecodedFrame;
  voi?: VoiChoice;
}

type Tool = 'wl' | AnnotationKind;

export function Viewport({ api, instance, onError, overlay, overlayDisplay, highlight, active = true, onActivate, view = 'colour', caption, toolbarExtra, testId = 'viewport' }: ViewportProps) {
  const element = useRef<HTMLDivElement>(null);
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const [frameIndex, setFrameIndex] = useState(0);
  const [readout, setReadout] = useState<Readout>();
  const readoutRef = useRef<Readout>(undefined);
  readoutRef.current = readout;
  const [tool, setTool] = useState<Tool>('wl');
  const toolRef = useRef(tool);
  toolRef.current = tool;
  const [points, setPoints] = useState<ImagePoint[]>([]);
  /** Where the points came from: the reader's clicks, or a model the reader may adjust. */
  const [pointSource, setPointSource] = useState<string>();
  const [saved, setSaved] = useState<Annotation[]>([]);
  const dragging = useRef<{ index: number; moved: boolean }>(undefined);
  const [hover, setHover] = useState<ImagePoint>();
  const [, setRenderTick] = useState(0);
  const [pointer, setPointer] = useState<{ x: number; y: number; value: string }>();
  const [magnifier, setMagnifier] = useState(false);
  const [pointerOnCanvas, setPointerOnCanvas] = useState<{ x: number; y: number }>();
  /** The decoded frame last fetched, so switching the colour view does not fetch it again. */
  const fetched = useRef<DecodedFrame>(undefined);

  const loadSaved = useCallback(() => {
    api.call('annotations.list', { instanceId: instance.instanceId }).then(
      (r) => setSaved(r.annotations),
      () => setSaved([]),
    );
  }, [api, instance.instanceId]);

  useEffect(() => {
    const el = element.current!;
    cornerstone.enable(el);
    // The element changes size with the window and when side panels open or close.
    const observer = new ResizeObserver(() => {
      if (el.clientWidth && el.clientHeight) cornerstone.resize(el, true);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      cornerstone.disable(el);
    };
  }, []);

  useEffect(() => {
    setFrameIndex(0);
    setPoints([]);
    setTool('wl');
    loadSaved();
  }, [instance.instanceId, loadSaved]);

  useEffect(() => {
    // Measurements are kept in image pixels and redrawn wherever the image is drawn. Re-render
    // only when the geometry changed: a window/level drag re-renders through its readout.
    const el = element.current!;
    let lastKey = '';
    const tick = () => {
      const v = cornerstone.getViewport(el);
      const key = v ? `${v.scale}/${v.translation.x}/${v.translation.y}/${v.rotation}/${v.hflip}/${v.vflip}/${el.clientWidth}/${el.clientHeight}` : '';
      if (key === lastKey) return;
      lastKey = key;
      setRenderTick((t) => t + 1);
    };
    el.addEventListener('cornerstoneimagerendered', tick);
    return () => el.removeEventListener('cornerstoneimagerendered', tick);
  }, []);

  useEffect(() => {
    let cancelled = false;
    const el = element.current!;
    const id = `${instance.instanceId}/${frameIndex}`;
    const sameFrame = fetched.current && `${fetched.current.instanceId}/${fetched.current.frame}` === id;
    if (!sameFrame) performance.mark('neoscope:image-chosen');
    const load = sameFrame ? Promise.resolve(fetched.current!) : api.call('image.frame', { instanceId: instance.instanceId, frame: frameIndex });
    load
      .then((frame) => {
        if (cancelled) return;
        fetched.current = frame;
        const shown = colourView(frame, view);
        const image = toCornerstoneImage(shown, view === 'colour' ? '' : view);
        // Switching the colour view keeps the reader's zoom and pan.
        const keep = sameFrame ? cornerstone.getViewport(el) : undefined;
        const viewport = keep ?? cornerstone.getDefaultViewportForImage(el, image);
        const voi = frame.samplesPerPixel === 1 ? defaultVoi(frame) : undefined;
        if (voi && !keep) viewport.voiLUT = voiLutFor(frame, voi);
        cornerstone.displayImage(el, image, viewport);
        el.dataset.renderedImage = id;
        el.dataset.colourView = view;
        if (!sameFrame) {
          performance.mark('neoscope:first-pixels');
          performance.measure('neoscope:choose-to-pixels', 'neoscope:image-chosen', 'neoscope:first-pixels');
          setReadout({ frame, voi });
        }
      })
      .catch((error: { message: string; code?: string }) => {
        if (!cancelled) onError({ message: error.message, code: error.code, file: instance.fileName });
      });
    return () => {
      cancelled = true;
    };
  }, [api, instance, frameIndex, onError, view]);

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

  useEffect(() => {
    const el = element.current!;
    let last: { x: number; y: number } | undefined;
    let panning: { x: number; y: number } | undefined;
    const onDown = (e: MouseEvent) => {
      // Right drag (or Shift + left drag) pans; left drag sets window/level.
      if (e.button === 2 || (e.button === 0 && e.shiftKey)) panning = { x: e.clientX, y: e.clientY };
      else if (e.button === 0 && toolRef.current === 'wl') last = { x: e.clientX, y: e.clientY };
    };
    const onMove = (e: MouseEvent) => {
      if (panning) {
        const viewport = cornerstone.getViewport(el);
        if (!viewport) return;
        viewport.translation = { x: viewport.translation.x + (e.clientX - panning.x) / viewport.scale, y: viewport.translation.y + (e.clientY - panning.y) / viewport.scale };
        panning = { x: e.clientX, y: e.clientY };
        cornerstone.setViewport(el, viewport);
        return;
      }
      const current = readoutRef.current;
      if (!last || !current?.voi) return;
      const from = current.voi.kind === 'window' ? current.voi.window : defaultWindow(current.frame);
      // Drag right widens the window, drag down raises the level (the common PACS convention).
      const scale = Math.max(1, from.width / 256);
      const window = { center: from.center + (e.clientY - last.y) * scale, width: Math.max(1, from.width + (e.clientX - last.x) * scale) };
      last = { x: e.clientX, y: e.clientY };
      applyVoi({ kind: 'window', window });
    };
    const onUp = () => {
      last = undefined;
      panning = undefined;
    };
    el.addEventListener('mousedown', onDown);
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
    return () => {
      el.removeEventListener('mousedown', onDown);
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
    };
  }, []);

  const availableTools = MEASUREMENT_TOOLS.filter((t) => t.domains.includes(instance.domain));
  const toggleTool = (kind: AnnotationKind) => {
    setTool((t) => (t === kind ? 'wl' : kind));
    setPoints([]);
    setPointSource(undefined);
  };
  const current = tool === 'wl' ? undefined : toolFor(tool);
  const complete = current !== undefined && points.length === current.steps.length;
  const reading = current?.read(points, readout?.frame.spacing);

  const saveMeasurement = async () => {
    if (!current || !complete || !reading) return;
    try {
      await api.call('annotations.save', { instanceId: instance.instanceId, kind: current.kind, points, label: reading });
      setPoints([]);
      setPointSource(undefined);
      loadSaved();
    } catch (error) {
      const { message, code } = error as { message: string; code?: string };
      onError({ message: code === 'AUTH_REQUIRED' ? 'Sign in to save measurements with the study.' : message, code, file: instance.fileName });
    }
  };
  const deleteMeasurement = async (id: string) => {
    try {
      await api.call('annotations.delete', { id });
      loadSaved();
    } catch (error) {
      const { message, code } = error as { message: string; code?: string };
      onError({ message, code, file: instance.fileName });
    }
  };
  const ctrFromModel = async () => {
    try {
      const estimate = await api.call('measure.ctr', { instanceId: instance.instanceId });
      setPoints(estimate.points);
      setPointSource(`estimated by ${estimate.model.id} ${estimate.model.version}; drag a point to adjust`);
    } catch (error) {
      const { message, code } = error as { message: string; code?: string };
      onError({ message, code, file: instance.fileName });
    }
  };

  const keyHandler = useRef<(e: KeyboardEvent) => void>(undefined);
  keyHandler.current = (e: KeyboardEvent) => {
    if (!active || isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = element.current!;
    const viewport = cornerstone.getViewport(el);
    if (!viewport) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const change = viewChangeFor(e.key);
    const frame = readoutRef.current?.frame;
    const tool = availableTools.find((t) => t.key === key);
    if (change) cornerstone.setViewport(el, change(viewport));
    else if (key === 'f') cornerstone.fitToWindow(el);
    else if (key === 'r') {
      cornerstone.reset(el);
      if (frame && readoutRef.current?.voi) applyVoi(defaultVoi(frame));
    } else if (key === 'v' && frame && readoutRef.current?.voi) {
      const presets = filePresets(frame);
      if (presets.length) {
        const index = presets.findIndex((p) => JSON.stringify(p) === JSON.stringify(readoutRef.current?.voi));
        applyVoi(presets[(index + 1) % presets.length]!);
      }
    } else if (key === 'w' && frame && readoutRef.current?.voi) {
      // Film presets (lung, soft tissue, bone), then back to the file's default.
      const presets = windowPresets(frame, instance.modality);
      const shown = readoutRef.current.voi.kind === 'window' ? readoutRef.current.voi.window.explanation : undefined;
      const index = presets.findIndex((p) => `${p.name} preset` === shown);
      const next = presets[index + 1];
      applyVoi(next ? { kind: 'window', window: { center: next.center, width: next.width, explanation: `${next.name} preset` } } : defaultVoi(frame));
    } else if (tool) toggleTool(tool.kind);
    else if (key === 's' && complete) void saveMeasurement();
    else if (key === 'Escape' && toolRef.current !== 'wl') toggleTool(toolRef.current);
    else if (key === 'm') setMagnifier((m) => !m);
    else if (key === 'PageDown') setFrameIndex((f) => Math.min(instance.frames - 1, f + 1));
    else if (key === 'PageUp') setFrameIndex((f) => Math.max(0, f - 1));
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keyHandler.current?.(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    // Redraw the AI overlay whenever cornerstone redraws the image (pan, zoom, W/L, resize).
    const el = element.current!;
    const canvas = overlayCanvas.current!;
    const draw = () => {
      canvas.width = el.clientWidth;
      canvas.height = el.clientHeight;
      const context = canvas.getContext('2d')!;
      context.clearRect(0, 0, canvas.width, canvas.height);
      const enabled = cornerstone.getEnabledElement(el);
      if (!overlay || !overlayDisplay?.visible || !enabled?.image) return;
      drawHeatOverlay(canvas, overlay, cornerstone.internal.getTransform(enabled).m, overlayDisplay, highlight);
    };
    draw();
    el.addEventListener('cornerstoneimagerendered', draw);
    return () => el.removeEventListener('cornerstoneimagerendered', draw);
  }, [overlay, overlayDisplay, highlight]);

  const toImage = (e: React.MouseEvent): ImagePoint => {
    const p = cornerstone.pageToPixel(element.current!, e.pageX, e.pageY);
    return { x: p.x, y: p.y };
  };
  const onToolDown = (e: React.MouseEvent) => {
    onActivate?.();
    if (tool === 'wl' || e.button !== 0 || e.shiftKey || !element.current) return;
    // A press on a point being placed picks it up to adjust it.
    const rect = element.current.getBoundingClientRect();
    const at = { x: e.clientX - rect.left, y: e.clientY - rect.top };
    const index = points.findIndex((p) => {
      const c = cornerstone.pixelToCanvas(element.current!, p as cornerstone.PixelCoordinate);
      return Math.hypot(c.x - at.x, c.y - at.y) <= 8;
    });
    if (index >= 0) dragging.current = { index, moved: false };
  };
  const onToolUp = (e: React.MouseEvent) => {
    if (!current || e.button !== 0 || e.shiftKey) return;
    if (dragging.current) {
      const { moved } = dragging.current;
      dragging.current = undefined;
      if (moved) return;
    }
    const point = toImage(e);
    setPointSource(undefined);
    setPoints((placed) => (placed.length >= current.steps.length ? [point] : [...placed, point]));
  };
  const onMove = (e: React.MouseEvent) => {
    const el = element.current;
    if (!el || !cornerstone.getViewport(el) || !readout) return;
    const p = toImage(e);
    if (dragging.current) {
      const { index } = dragging.current;
      dragging.current.moved = true;
      setPoints((placed) => placed.map((q, i) => (i === index ? p : q)));
    }
    if (current) setHover(p);
    setPointer(pointerReadout(readout.frame, p));
    if (magnifier) {
      const rect = el.getBoundingClientRect();
      setPointerOnCanvas({ x: e.clientX - rect.left, y: e.clientY - rect.top });
    }
  };
  const onWheel = (e: React.WheelEvent) => {
    if (instance.frames > 1) setFrameIndex((f) => Math.max(0, Math.min(instance.frames - 1, f + Math.sign(e.deltaY))));
  };

  const el = element.current;
  const drawable = Boolean(el && readout && cornerstone.getViewport(el));
  const placing = current && points.length < current.steps.length && hover ? [...points, hover] : points;
  const measurements: DrawnMeasurement[] = drawable
    ? [
        ...saved.map((a) => ({ key: a.id, kind: a.kind, points: a.points, label: a.label, saved: true })),
        ...(current && placing.length ? [{ key: 'placing', kind: current.kind, points: placing, label: current.read(placing, readout?.frame.spacing), saved: false }] : []),
      ]
    : [];

  return (
    <div className={`viewport-frame${active ? ' active' : ''}`} data-testid={`${testId}-frame`}>
      <div className="viewer-tools">
        {availableTools.map((t) => (
          <button key={t.kind} type="button" aria-pressed={tool === t.kind} onClick={() => toggleTool(t.kind)} title={`${t.name}: ${t.steps.join(', then ')} (${t.key.toUpperCase()})`}>
            {t.name}
          </button>
        ))}
        <button type="button" aria-pressed={magnifier} onClick={() => setMagnifier((m) => !m)} title="Magnifier (M)">
          Loupe
        </button>
        {tool === 'ctr' && instance.domain === 'chest' ? (
          <button type="button" onClick={() => void ctrFromModel()} title="Start from the lung model's estimate">
            From lung model
          </button>
        ) : null}
        {current ? (
          <span className="tool-readout" data-testid={`${testId}-tool-readout`} data-kind={current.kind} title={pointSource}>
            {reading ?? `click ${current.steps[Math.min(points.length, current.steps.length - 1)]}`}
            {reading && pointSource ? ` · ${pointSource}` : ''}
          </span>
        ) : null}
        {complete && reading ? (
          <button type="button" onClick={() => void saveMeasurement()} title="Save this measurement with the study (S)">
            Save
          </button>
        ) : null}
        {toolbarExtra}
      </div>
      <div className="viewport-stage">
        <div
          className={current ? 'viewport measuring' : 'viewport'}
          ref={element}
          onWheel={onWheel}
          onContextMenu={(e) => e.preventDefault()}
          onMouseDown={onToolDown}
          onMouseUp={onToolUp}
          onMouseMove={onMove}
          onMouseLeave={() => {
            setPointer(undefined);
            setPointerOnCanvas(undefined);
          }}
          data-testid={testId}
        />
        <canvas className="viewport-ai-overlay" ref={overlayCanvas} data-testid={`${testId}-ai-overlay`} aria-hidden="true" />
        {drawable ? <MeasurementLayer element={el!} measurements={measurements} /> : null}
        {magnifier && pointerOnCanvas && el ? <Magnifier element={el} at={pointerOnCanvas} /> : null}
        {saved.length ? (
          <ul className="saved-measurements" aria-label="Saved measurements" data-testid={`${testId}-saved`}>
            {saved.map((a) => (
              <li key={a.id} data-kind={a.kind}>
                <span>{toolFor(a.kind).name}: {a.label}</span> <small>{a.createdBy}</small>
                <button type="button" aria-label={`Delete ${toolFor(a.kind).name} ${a.label}`} onClick={() => void deleteMeasurement(a.id)}>×</button>
              </li>
            ))}
          </ul>
        ) : null}
        {readout ? (
          <div className="viewport-overlay">
            {caption ? <span className="viewport-caption" data-testid={`${testId}-caption`}>{caption}</span> : null}
            <span>{instance.patientName || 'Unnamed'} · {instance.modality} · {instance.laterality ? `laterality ${instance.laterality} · ` : ''}{instance.photometric}{view !== 'colour' && readout.frame.samplesPerPixel === 3 ? ` · ${view} view` : ''}</span>
            <span>
              {voiLabel(readout.frame, readout.voi)} · frame {frameIndex + 1}/{instance.frames}
            </span>
            <span className="calibration">{calibrationNote(readout.frame)}</span>
            {el && cornerstone.getViewport(el) ? <span data-testid={`${testId}-view-transform`}>{viewTransformLabel(cornerstone.getViewport(el)!)}</span> : null}
            {pointer ? (
              <span data-testid={`${testId}-pixel-readout`}>
                ({pointer.x}, {pointer.y}) px{readout.frame.spacing ? ` · (${(pointer.x * readout.frame.spacing.column).toFixed(1)}, ${(pointer.y * readout.frame.spacing.row).toFixed(1)}) mm` : ''} · value {pointer.value}
              </span>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/**
 * One cornerstone-core viewport showing a library image. Left-drag sets window/level,
 * R resets, I inverts, PageUp/PageDown (or the wheel) step through frames, C starts the
 * cardiothoracic ratio tool (four clicks; the ratio shows live), +/− zoom, F fits, 1 shows
 * 1:1, [ and ] rotate, X and Y flip, right drag (or Shift + drag) pans. The pixel under the
 * pointer is read out with its position (and millimetres where the film has a spacing). The time from
 * choosing an image to its first drawn pixels is recorded with performance.mark.
 */
import * as cornerstone from 'cornerstone-core';
import { useEffect, useRef, useState } from 'react';
import type { DecodedFrame, InstanceSummary } from '../../../core/api/schemas.ts';
import type { ApiClient } from '../../api/client.ts';
import { defaultVoi, defaultWindow, toCornerstoneImage, voiLutFor, type VoiChoice } from './cornerstone-image.ts';
import { drawHeatOverlay, type HeatMap } from './heat-overlay.ts';
import { CTR_STEPS, ctrReading, type ImagePoint } from './ctr-tool.ts';

export interface ViewportProps {
  api: ApiClient;
  instance: InstanceSummary;
  onError(error: { message: string; code?: string; file?: string }): void;
  /** AI map to draw over the image (image pixels, 0..1), with how to draw it. */
  overlay?: HeatMap;
  overlaySettings?: { visible: boolean; opacity: number; threshold: number };
}

interface Readout {
  frame: DecodedFrame;
  voi?: VoiChoice;
}

export function filePresets(frame: DecodedFrame): VoiChoice[] {
  return [...frame.windows.map((window) => ({ kind: 'window' as const, window })), ...frame.voiLuts.map((_, index) => ({ kind: 'lut' as const, index }))];
}

function voiLabel(readout: Readout): string {
  const { voi, frame } = readout;
  if (!voi) return 'colour';
  if (voi.kind === 'lut') return `VOI LUT ${frame.voiLuts[voi.index]?.explanation ?? voi.index + 1}`;
  const fn = frame.voiFunction === 'LINEAR' ? '' : ` ${frame.voiFunction}`;
  const named = voi.window.explanation ? ` (${voi.window.explanation})` : '';
  return `W ${Math.round(voi.window.width)} / L ${Math.round(voi.window.center)}${fn}${named}`;
}

/** Scale (screen pixels per image pixel), rotation and flips, as the overlay shows them. */
export function viewTransformLabel(viewport: { scale: number; rotation: number; hflip: boolean; vflip: boolean }): string {
  const parts = [`zoom ${viewport.scale.toFixed(2)}×`];
  if (viewport.rotation) parts.push(`rotated ${viewport.rotation}°`);
  if (viewport.hflip) parts.push('flipped horizontally');
  if (viewport.vflip) parts.push('flipped vertically');
  return parts.join(' · ');
}

/** The stored value (or RGB) of the image pixel under the pointer, or undefined outside the image. */
export function pointerReadout(frame: DecodedFrame, point: { x: number; y: number }): { x: number; y: number; value: string } | undefined {
  const x = Math.floor(point.x);
  const y = Math.floor(point.y);
  if (x < 0 || y < 0 || x >= frame.columns || y >= frame.rows) return undefined;
  const i = y * frame.columns + x;
  if (frame.samplesPerPixel === 3) return { x, y, value: `RGB ${frame.pixels[i * 3]} ${frame.pixels[i * 3 + 1]} ${frame.pixels[i * 3 + 2]}` };
  const stored = frame.pixels[i]!;
  const modality = stored * frame.rescaleSlope + frame.rescaleIntercept;
  return { x, y, value: modality === stored ? `${stored}` : `${stored} (modality ${Number(modality.toFixed(3))})` };
}

export function calibrationNote(frame: DecodedFrame): string {
  switch (frame.spacing?.source) {
    case 'PixelSpacing':
      return 'spacing: Pixel Spacing (patient plane)';
    case 'ImagerPixelSpacing':
      return 'spacing: Imager Pixel Spacing (at detector; not corrected for magnification)';
    case 'NominalScannedPixelSpacing':
      return 'spacing: nominal scanned (film digitiser)';
    default:
      return 'no pixel spacing: distances in pixels';
  }
}

export function Viewport({ api, instance, onError, overlay, overlaySettings }: ViewportProps) {
  const element = useRef<HTMLDivElement>(null);
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const [frameIndex, setFrameIndex] = useState(0);
  const [readout, setReadout] = useState<Readout>();
  const [tool, setTool] = useState<'wl' | 'ctr'>('wl');
  const toolRef = useRef(tool);
  toolRef.current = tool;
  const [ctrPoints, setCtrPoints] = useState<ImagePoint[]>([]);
  /** Where the CTR points came from: the reader's clicks, or a model the reader may adjust. */
  const [ctrSource, setCtrSource] = useState<string>();
  const dragging = useRef<{ index: number; moved: boolean }>(undefined);
  const [hover, setHover] = useState<ImagePoint>();
  const [, setRenderTick] = useState(0);
  /** The pixel under the pointer: image coordinates and its stored value(s). */
  const [pointer, setPointer] = useState<{ x: number; y: number; value: string }>();
  const readoutRef = useRef<Readout>(undefined);
  readoutRef.current = readout;

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
    setCtrPoints([]);
    setTool('wl');
  }, [instance.instanceId]);

  useEffect(() => {
    // Measurements are kept in image pixels and redrawn wherever the image is drawn.
    const el = element.current!;
    // Re-render only when the geometry changed (zoom, pan, rotation, flip, size): a
    // window/level drag redraws every frame and already re-renders through its readout.
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

  const toImage = (e: React.MouseEvent): ImagePoint => {
    const p = cornerstone.pageToPixel(element.current!, e.pageX, e.pageY);
    return { x: p.x, y: p.y };
  };
  const onCtrDown = (e: React.MouseEvent) => {
    if (tool !== 'ctr' || e.button !== 0 || !element.current) return;
    // A press on an existing point picks it up to adjust it.
    const rect = element.current.getBoundingClientRect();
    const at = { x: e.clientX - rect.left, y: e.clientY - rect.top };
    const index = ctrPoints.findIndex((p) => {
      const c = cornerstone.pixelToCanvas(element.current!, p as cornerstone.PixelCoordinate);
      return Math.hypot(c.x - at.x, c.y - at.y) <= 8;
    });
    if (index >= 0) dragging.current = { index, moved: false };
  };
  const onCtrClick = (e: React.MouseEvent) => {
    if (tool !== 'ctr' || e.button !== 0) return;
    if (dragging.current) {
      const { moved } = dragging.current;
      dragging.current = undefined;
      if (moved) return;
    }
    const point = toImage(e);
    setCtrSource(undefined);
    setCtrPoints((points) => (points.length >= 4 ? [point] : [...points, point]));
  };
  const ctrFromModel = async () => {
    try {
      const estimate = await api.call('measure.ctr', { instanceId: instance.instanceId });
      setCtrPoints(estimate.points);
      setCtrSource(`estimated by ${estimate.model.id} ${estimate.model.version}; drag a point to adjust`);
    } catch (error) {
      const { message, code } = error as { message: string; code?: string };
      onError({ message, code, file: instance.fileName });
    }
  };

  useEffect(() => {
    let cancelled = false;
    const el = element.current!;
    performance.mark('neoscope:image-chosen');
    api
      .call('image.frame', { instanceId: instance.instanceId, frame: frameIndex })
      .then((frame) => {
        if (cancelled) return;
        const image = toCornerstoneImage(frame);
        const viewport = cornerstone.getDefaultViewportForImage(el, image);
        const voi = frame.samplesPerPixel === 1 ? defaultVoi(frame) : undefined;
        if (voi) viewport.voiLUT = voiLutFor(frame, voi);
        cornerstone.displayImage(el, image, viewport);
        el.dataset.renderedImage = `${instance.instanceId}/${frameIndex}`;
        performance.mark('neoscope:first-pixels');
        performance.measure('neoscope:choose-to-pixels', 'neoscope:image-chosen', 'neoscope:first-pixels');
        setReadout({ frame, voi });
      })
      .catch((error: { message: string; code?: string }) => {
        if (!cancelled) onError({ message: error.message, code: error.code, file: instance.fileName });
      });
    return () => {
      cancelled = true;
    };
  }, [api, instance, frameIndex, onError]);

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
      const viewport = cornerstone.getViewport(el);
      if (!viewport) return;
      const from = current.voi.kind === 'window' ? current.voi.window : defaultWindow(current.frame);
      // Drag right widens the window, drag down raises the level (the common PACS convention).
      const scale = Math.max(1, from.width / 256);
      const window = { center: from.center + (e.clientY - last.y) * scale, width: Math.max(1, from.width + (e.clientX - last.x) * scale) };
      last = { x: e.clientX, y: e.clientY };
      const voi: VoiChoice = { kind: 'window', window };
      viewport.voiLUT = voiLutFor(current.frame, voi);
      cornerstone.setViewport(el, viewport);
      readoutRef.current = { ...current, voi };
      setReadout(readoutRef.current);
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

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return; // typing, not a shortcut
      const el = element.current!;
      const viewport = cornerstone.getViewport(el);
      if (!viewport) return;
      const current = readoutRef.current;
      if (e.key === 'r' || e.key === 'R') {
        cornerstone.reset(el);
        if (current?.voi) {
          const voi = defaultVoi(current.frame);
          cornerstone.setViewport(el, { ...cornerstone.getViewport(el)!, voiLUT: voiLutFor(current.frame, voi) });
          setReadout({ ...current, voi });
        }
      }
      else if (e.key === 'i' || e.key === 'I') cornerstone.setViewport(el, { ...viewport, invert: !viewport.invert });
      else if ((e.key === 'v' || e.key === 'V') && current?.voi) {
        // Step through the file's own VOI presets: its windows, then its VOI LUTs (C.11.2).
        const presets = filePresets(current.frame);
        if (presets.length) {
          const index = presets.findIndex((p) => JSON.stringify(p) === JSON.stringify(current.voi));
          const voi = presets[(index + 1) % presets.length]!;
          cornerstone.setViewport(el, { ...viewport, voiLUT: voiLutFor(current.frame, voi) });
          readoutRef.current = { ...current, voi };
          setReadout(readoutRef.current);
        }
      }
      else if (e.key === '+' || e.key === '=') cornerstone.setViewport(el, { ...viewport, scale: viewport.scale * 1.25 });
      else if (e.key === '-') cornerstone.setViewport(el, { ...viewport, scale: viewport.scale / 1.25 });
      else if (e.key === 'f' || e.key === 'F') cornerstone.fitToWindow(el);
      else if (e.key === '1') cornerstone.setViewport(el, { ...viewport, scale: 1 });
      else if (e.key === ']') cornerstone.setViewport(el, { ...viewport, rotation: (viewport.rotation + 90) % 360 });
      else if (e.key === '[') cornerstone.setViewport(el, { ...viewport, rotation: (viewport.rotation + 270) % 360 });
      else if (e.key === 'x' || e.key === 'X') cornerstone.setViewport(el, { ...viewport, hflip: !viewport.hflip });
      else if (e.key === 'y' || e.key === 'Y') cornerstone.setViewport(el, { ...viewport, vflip: !viewport.vflip });
      else if (e.key === 'c' || e.key === 'C') {
        setTool((t) => (t === 'ctr' ? 'wl' : 'ctr'));
        setCtrPoints([]);
        setCtrSource(undefined);
      }
      else if (e.key === 'PageDown') setFrameIndex((f) => Math.min(instance.frames - 1, f + 1));
      else if (e.key === 'PageUp') setFrameIndex((f) => Math.max(0, f - 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [instance.frames]);

  useEffect(() => {
    // Redraw the AI overlay whenever cornerstone redraws the image (pan, zoom, W/L, resize).
    const el = element.current!;
    const canvas = overlayCanvas.current!;
    const draw = () => {
      canvas.width = el.clientWidth;
      canvas.height = el.clientHeight;
      const context = canvas.getContext('2d')!;
      context.clearRect(0, 0, canvas.width, canvas.height);
      if (!overlay || !overlaySettings?.visible || !cornerstone.getViewport(el)) return;
      const topLeft = cornerstone.pixelToCanvas(el, { x: 0, y: 0 } as cornerstone.PixelCoordinate);
      const bottomRight = cornerstone.pixelToCanvas(el, { x: overlay.width, y: overlay.height } as cornerstone.PixelCoordinate);
      drawHeatOverlay(canvas, overlay, { x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y }, overlaySettings.threshold, overlaySettings.opacity);
    };
    draw();
    el.addEventListener('cornerstoneimagerendered', draw);
    return () => el.removeEventListener('cornerstoneimagerendered', draw);
  }, [overlay, overlaySettings]);

  const onWheel = (e: React.WheelEvent) => {
    if (instance.frames > 1) setFrameIndex((f) => Math.max(0, Math.min(instance.frames - 1, f + Math.sign(e.deltaY))));
  };

  const el = element.current;
  const shown = el && readout && cornerstone.getViewport(el) ? [...ctrPoints, ...(tool === 'ctr' && hover && ctrPoints.length < 4 ? [hover] : [])] : [];
  const onCanvas = shown.map((p) => cornerstone.pixelToCanvas(el!, p as cornerstone.PixelCoordinate));
  const reading = ctrReading(shown, readout?.frame.spacing?.column);

  return (
    <div className="viewport-frame">
      <div
        className={tool === 'ctr' ? 'viewport measuring' : 'viewport'}
        ref={element}
        onWheel={onWheel}
        onContextMenu={(e) => e.preventDefault()}
        onMouseDown={onCtrDown}
        onMouseUp={onCtrClick}
        onMouseMove={(e) => {
          if (!el || !cornerstone.getViewport(el) || !readout) return;
          const p = toImage(e);
          if (dragging.current) {
            const { index } = dragging.current;
            dragging.current.moved = true;
            setCtrPoints((points) => points.map((q, i) => (i === index ? p : q)));
          }
          if (tool === 'ctr') setHover(p);
          setPointer(pointerReadout(readout.frame, p));
        }}
        onMouseLeave={() => setPointer(undefined)}
        data-testid="viewport"
      />
      <canvas className="viewport-ai-overlay" ref={overlayCanvas} data-testid="ai-overlay" aria-hidden="true" />
      <svg className="viewport-measurements" aria-hidden="true">
        {onCanvas.length >= 2 ? <line x1={onCanvas[0]!.x} y1={onCanvas[0]!.y} x2={onCanvas[1]!.x} y2={onCanvas[1]!.y} stroke="#ff5a5a" strokeWidth={2} /> : null}
        {onCanvas.length >= 4 ? <line x1={onCanvas[2]!.x} y1={onCanvas[2]!.y} x2={onCanvas[3]!.x} y2={onCanvas[3]!.y} stroke="#3ee0e6" strokeWidth={2} /> : null}
        {onCanvas.map((p, i) => <circle key={i} cx={p.x} cy={p.y} r={4} fill={i < 2 ? '#ff5a5a' : '#3ee0e6'} />)}
      </svg>
      <div className="viewer-tools">
        <button type="button" aria-pressed={tool === 'ctr'} onClick={() => { setTool((t) => (t === 'ctr' ? 'wl' : 'ctr')); setCtrPoints([]); }} title="Cardiothoracic ratio: four clicks (C)">
          CTR
        </button>
        {tool === 'ctr' && instance.domain === 'chest' ? (
          <button type="button" onClick={() => void ctrFromModel()} title="Start from the lung model's estimate">
            From lung model
          </button>
        ) : null}
        {tool === 'ctr' ? (
          <span className="ctr-readout" data-testid="ctr-readout" title={ctrSource}>
            {reading
              ? `CTR ${reading.ratio.toFixed(2)} · heart ${reading.cardiacMm ? `${reading.cardiacMm.toFixed(0)} mm` : `${reading.cardiacPx.toFixed(0)} px`} / thorax ${reading.thoracicMm ? `${reading.thoracicMm.toFixed(0)} mm` : `${reading.thoracicPx.toFixed(0)} px`}`
              : `click ${CTR_STEPS[Math.min(ctrPoints.length, 3)]}`}
            {reading && ctrSource ? ` · ${ctrSource}` : ''}
          </span>
        ) : null}
      </div>
      {readout ? (
        <div className="viewport-overlay">
          <span>{instance.patientName || 'Unnamed'} · {instance.modality} · {instance.laterality ? `laterality ${instance.laterality} · ` : ''}{instance.photometric}</span>
          <span>
            {voiLabel(readout)} · frame {frameIndex + 1}/{instance.frames}
          </span>
          <span className="calibration">{calibrationNote(readout.frame)}</span>
          {el && cornerstone.getViewport(el) ? <span data-testid="view-transform">{viewTransformLabel(cornerstone.getViewport(el)!)}</span> : null}
          {pointer ? (
            <span data-testid="pixel-readout">
              ({pointer.x}, {pointer.y}) px{readout.frame.spacing ? ` · (${(pointer.x * readout.frame.spacing.column).toFixed(1)}, ${(pointer.y * readout.frame.spacing.row).toFixed(1)}) mm` : ''} · value {pointer.value}
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

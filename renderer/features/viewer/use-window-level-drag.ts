/**
 * Mouse handling on the image that is not a measurement: left drag sets window/level
 * (right widens the window, down raises the level, the common PACS convention), right drag
 * or Shift + left drag pans. Listens on the window so a drag may leave the element.
 *
 * A mouse reports more often than the screen refreshes, and each applied window costs a
 * display table, a redraw and a React render of the readout. Every move still steps the
 * window as before, but the window reached is applied once per frame, when cornerstone is
 * about to draw (its pre-render event), so the frame shows the latest one at no extra delay.
 */
import * as cornerstone from 'cornerstone-core';
import { useEffect, useRef, type RefObject } from 'react';
import type { VoiWindow } from '../../../core/imaging/lut.ts';

export interface WindowLevelTarget {
  /** False while a measurement tool takes left clicks. */
  enabled(): boolean;
  /** The window in use, or undefined for a colour image (no window/level). */
  window(): VoiWindow | undefined;
  apply(window: VoiWindow): void;
}

export function useWindowLevelDrag(
  element: RefObject<HTMLDivElement | null>,
  target: WindowLevelTarget,
): void {
  const latest = useRef(target);
  latest.current = target;
  useEffect(() => {
    const el = element.current!;
    let last: { x: number; y: number } | undefined;
    let panning: { x: number; y: number } | undefined;
    /** The window the drag has reached and the screen does not show yet. */
    let pending: VoiWindow | undefined;
    const onDown = (e: MouseEvent) => {
      if (e.button === 2 || (e.button === 0 && e.shiftKey))
        panning = { x: e.clientX, y: e.clientY };
      else if (e.button === 0 && latest.current.enabled()) last = { x: e.clientX, y: e.clientY };
    };
    const onMove = (e: MouseEvent) => {
      if (panning) {
        const viewport = cornerstone.getViewport(el);
        if (!viewport) return;
        const scale = viewport.scale ?? 1;
        viewport.translation = {
          x: (viewport.translation?.x ?? 0) + (e.clientX - panning.x) / scale,
          y: (viewport.translation?.y ?? 0) + (e.clientY - panning.y) / scale,
        };
        panning = { x: e.clientX, y: e.clientY };
        cornerstone.setViewport(el, viewport);
        return;
      }
      const from = pending ?? latest.current.window();
      if (!last || !from) return;
      const step = Math.max(1, from.width / 256);
      pending = {
        center: from.center + (e.clientY - last.y) * step,
        width: Math.max(1, from.width + (e.clientX - last.x) * step),
      };
      last = { x: e.clientX, y: e.clientY };
    };
    const applyPending = () => {
      if (!pending) return;
      const reached = pending;
      pending = undefined;
      latest.current.apply(reached);
    };
    const onUp = () => {
      applyPending();
      last = undefined;
      panning = undefined;
    };
    el.addEventListener('cornerstoneprerender', applyPending);
    el.addEventListener('mousedown', onDown);
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
    return () => {
      el.removeEventListener('cornerstoneprerender', applyPending);
      el.removeEventListener('mousedown', onDown);
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
    };
  }, [element]);
}

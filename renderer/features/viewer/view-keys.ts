/**
 * Keyboard changes of the view geometry: zoom, 1:1, rotate, flip, invert. Each returns the
 * new cornerstone viewport from the current one; fit and reset need the element and are
 * handled by the viewport itself.
 */
import type { Viewport as CornerstoneViewport } from 'cornerstone-core';

export const ZOOM_STEP = 1.25;

type ViewChange = (viewport: CornerstoneViewport) => CornerstoneViewport;

const VIEW_KEYS: Record<string, ViewChange> = {
  '+': (v) => ({ ...v, scale: (v.scale ?? 1) * ZOOM_STEP }),
  '=': (v) => ({ ...v, scale: (v.scale ?? 1) * ZOOM_STEP }),
  '-': (v) => ({ ...v, scale: (v.scale ?? 1) / ZOOM_STEP }),
  '1': (v) => ({ ...v, scale: 1 }),
  ']': (v) => ({ ...v, rotation: ((v.rotation ?? 0) + 90) % 360 }),
  '[': (v) => ({ ...v, rotation: ((v.rotation ?? 0) + 270) % 360 }),
  x: (v) => ({ ...v, hflip: !v.hflip }),
  y: (v) => ({ ...v, vflip: !v.vflip }),
  i: (v) => ({ ...v, invert: !v.invert }),
};

export function viewChangeFor(key: string): ViewChange | undefined {
  return VIEW_KEYS[key.length === 1 ? key.toLowerCase() : key];
}

/** Scale (screen pixels per image pixel), rotation and flips, as the overlay shows them. */
export function viewTransformLabel(viewport: {
  scale: number;
  rotation: number;
  hflip: boolean;
  vflip: boolean;
}): string {
  const parts = [`zoom ${viewport.scale.toFixed(2)}×`];
  if (viewport.rotation) parts.push(`rotated ${viewport.rotation}°`);
  if (viewport.hflip) parts.push('flipped horizontally');
  if (viewport.vflip) parts.push('flipped vertically');
  return parts.join(' · ');
}

/** True when a key press is typing in a field, not a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

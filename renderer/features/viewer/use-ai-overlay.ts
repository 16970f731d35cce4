/**
 * The AI map over the image, on its own canvas: rendered once per map and style, and drawn
 * again after cornerstone redraws the image in a new place (pan, zoom, rotation, flips,
 * resize) so it follows the image.
 */
import * as cornerstone from 'cornerstone-core';
import { useEffect, type RefObject } from 'react';
import {
  drawOverlaySource,
  renderOverlaySource,
  type HeatMap,
  type OverlayStyle,
} from './heat-overlay.ts';

export interface AiOverlay {
  map?: HeatMap;
  display?: OverlayStyle & { visible: boolean };
  highlight?: { x: number; y: number; width: number; height: number };
}

export function useAiOverlay(
  element: RefObject<HTMLDivElement | null>,
  overlayCanvas: RefObject<HTMLCanvasElement | null>,
  { map, display, highlight }: AiOverlay,
): void {
  useEffect(() => {
    const el = element.current!;
    const canvas = overlayCanvas.current!;
    const source = map && display?.visible ? renderOverlaySource(map, display) : undefined;
    // What the canvas shows: '' when blank, else the canvas size and image transform it was
    // drawn for (unknown until first drawn: it may still show the previous map). A canvas
    // that changes is copied to the compositor again, and window/level redraws the image 60
    // times a second without moving it: the map is drawn again only when the geometry
    // changes (pan, zoom, rotation, flips, resize).
    let shows: string | undefined;
    const draw = () => {
      // Resizing a canvas reallocates it (blank): only when the element changed size.
      if (canvas.width !== el.clientWidth || canvas.height !== el.clientHeight) {
        canvas.width = el.clientWidth;
        canvas.height = el.clientHeight;
        shows = '';
      }
      const enabled = cornerstone.getEnabledElement(el);
      const transform =
        source && map && enabled?.image ? cornerstone.internal.getTransform(enabled).m : undefined;
      const wanted = transform ? `${canvas.width}×${canvas.height}:${transform.join(',')}` : '';
      if (wanted === shows) return;
      shows = wanted;
      if (transform)
        drawOverlaySource(
          canvas,
          source!,
          map!,
          transform,
          display?.style === 'contour',
          highlight,
        );
      else canvas.getContext('2d')!.clearRect(0, 0, canvas.width, canvas.height);
    };
    draw();
    el.addEventListener('cornerstoneimagerendered', draw);
    return () => el.removeEventListener('cornerstoneimagerendered', draw);
  }, [map, display, highlight, element, overlayCanvas]);
}

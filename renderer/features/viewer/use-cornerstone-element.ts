/**
 * A div enabled as a cornerstone-core element for the component's lifetime: resized with
 * its box (window resizes, panels opening), and the component re-rendered when the view
 * geometry changes (zoom, pan, rotation, flip, size), so measurements drawn in image pixels
 * follow the image. A window/level drag does not re-render through this hook.
 */
import * as cornerstone from 'cornerstone-core';
import { useEffect, useRef, useState } from 'react';

export function useCornerstoneElement() {
  const element = useRef<HTMLDivElement>(null);
  const [, setGeometryTick] = useState(0);
  useEffect(() => {
    const el = element.current!;
    cornerstone.enable(el);
    const observer = new ResizeObserver(() => {
      if (el.clientWidth && el.clientHeight) cornerstone.resize(el, true);
    });
    observer.observe(el);
    let lastKey = '';
    const onRendered = () => {
      const v = cornerstone.getViewport(el);
      const key = v
        ? `${v.scale}/${v.translation.x}/${v.translation.y}/${v.rotation}/${v.hflip}/${v.vflip}/${el.clientWidth}/${el.clientHeight}`
        : '';
      if (key === lastKey) return;
      lastKey = key;
      setGeometryTick((t) => t + 1);
    };
    el.addEventListener('cornerstoneimagerendered', onRendered);
    return () => {
      el.removeEventListener('cornerstoneimagerendered', onRendered);
      observer.disconnect();
      cornerstone.disable(el);
    };
  }, []);
  return element;
}

/** Calls back once cornerstone has drawn this image into the element's canvas; returns the cancel. */
export function onceDrawn(
  el: HTMLElement,
  image: cornerstone.Image,
  drawn: () => void,
): () => void {
  const listener = (e: Event) => {
    if ((e as CustomEvent<{ image: cornerstone.Image }>).detail.image !== image) return;
    el.removeEventListener('cornerstoneimagerendered', listener);
    drawn();
  };
  el.addEventListener('cornerstoneimagerendered', listener);
  return () => el.removeEventListener('cornerstoneimagerendered', listener);
}

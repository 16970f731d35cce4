/**
 * A loupe that follows the pointer: the drawn image around it, enlarged, in a round window
 * beside the pointer (so the pointer itself stays visible). Toggled with M.
 */
import { useEffect, useRef } from 'react';

const SIZE = 180;
const ZOOM = 3;

export function Magnifier({ element, at }: { element: HTMLElement; at: { x: number; y: number } }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const source = element.querySelector('canvas');
    const target = canvas.current?.getContext('2d');
    if (!source || !target) return;
    const half = SIZE / ZOOM / 2;
    target.imageSmoothingEnabled = false; // show the pixels as they are
    target.fillStyle = '#000';
    target.fillRect(0, 0, SIZE, SIZE);
    target.drawImage(source, at.x - half, at.y - half, half * 2, half * 2, 0, 0, SIZE, SIZE);
  });
  // Beside the pointer, flipped to the other side near the right or bottom edge.
  const left = at.x + 24 + SIZE > element.clientWidth ? at.x - 24 - SIZE : at.x + 24;
  const top = at.y + 24 + SIZE > element.clientHeight ? at.y - 24 - SIZE : at.y + 24;
  return (
    <canvas
      ref={canvas}
      className="magnifier"
      width={SIZE}
      height={SIZE}
      style={{ left, top }}
      data-testid="magnifier"
      aria-hidden="true"
    />
  );
}

/**
 * Draws a 0..1 map (saliency or probability, in image pixels) over the viewport as a
 * heat map: transparent below the threshold, then blue → green → yellow → red with the
 * chosen opacity. The map is drawn into the image's on-screen rectangle.
 */
export interface HeatMap {
  width: number;
  height: number;
  values: Float32Array;
}

/** A perceptually ordered ramp (dark blue → cyan → yellow → red). */
export function heatColour(v: number): [number, number, number] {
  const t = Math.max(0, Math.min(1, v));
  const stops: Array<[number, [number, number, number]]> = [
    [0, [20, 40, 160]],
    [0.35, [0, 190, 220]],
    [0.65, [250, 220, 40]],
    [1, [230, 30, 20]],
  ];
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i]!;
    const [t0, c0] = stops[i - 1]!;
    if (t <= t1) {
      const f = (t - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round(c0[k]! + (c1[k]! - c0[k]!) * f)) as [number, number, number];
    }
  }
  return stops[stops.length - 1]![1];
}

export function heatImage(map: HeatMap, threshold: number, opacity: number): ImageData {
  const image = new ImageData(map.width, map.height);
  for (let i = 0; i < map.values.length; i++) {
    const v = map.values[i]!;
    if (v < threshold) continue;
    const [r, g, b] = heatColour(v);
    image.data.set([r, g, b, Math.round(opacity * 255)], i * 4);
  }
  return image;
}

export function drawHeatOverlay(canvas: HTMLCanvasElement, map: HeatMap, rect: { x: number; y: number; width: number; height: number }, threshold: number, opacity: number): void {
  const context = canvas.getContext('2d')!;
  context.clearRect(0, 0, canvas.width, canvas.height);
  const source = document.createElement('canvas');
  source.width = map.width;
  source.height = map.height;
  source.getContext('2d')!.putImageData(heatImage(map, threshold, opacity), 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(source, rect.x, rect.y, rect.width, rect.height);
}

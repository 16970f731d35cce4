/**
 * Binary masks as the measurement code sees them: one byte per image pixel (0 or 1),
 * row-major, with their size. Helpers to make one from a probability map and to keep the
 * largest connected regions (a segmentation's stray specks must not move a measurement).
 */
export interface BinaryMask {
  width: number;
  height: number;
  data: Uint8Array;
}

export function thresholdMap(
  values: Float32Array,
  width: number,
  height: number,
  threshold: number,
): BinaryMask {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = values[i]! >= threshold ? 1 : 0;
  return { width, height, data };
}

export interface Region {
  label: number;
  area: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  centroidX: number;
  centroidY: number;
}

/** 8-connected regions of a mask, largest first; `labels` holds 1-based region labels (0 = background). */
export function connectedRegions(mask: BinaryMask): { labels: Int32Array; regions: Region[] } {
  const { width, height, data } = mask;
  const labels = new Int32Array(width * height);
  const regions: Region[] = [];
  const stack: number[] = [];
  for (let start = 0; start < data.length; start++) {
    if (!data[start] || labels[start]) continue;
    const label = regions.length + 1;
    const region: Region = {
      label,
      area: 0,
      minX: width,
      maxX: -1,
      minY: height,
      maxY: -1,
      centroidX: 0,
      centroidY: 0,
    };
    labels[start] = label;
    stack.push(start);
    while (stack.length) {
      const index = stack.pop()!;
      const x = index % width;
      const y = (index - x) / width;
      region.area++;
      region.centroidX += x;
      region.centroidY += y;
      if (x < region.minX) region.minX = x;
      if (x > region.maxX) region.maxX = x;
      if (y < region.minY) region.minY = y;
      if (y > region.maxY) region.maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const next = ny * width + nx;
          if (data[next] && !labels[next]) {
            labels[next] = label;
            stack.push(next);
          }
        }
      }
    }
    region.centroidX /= region.area;
    region.centroidY /= region.area;
    regions.push(region);
  }
  regions.sort((a, b) => b.area - a.area);
  return { labels, regions };
}

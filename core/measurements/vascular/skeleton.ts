/**
 * Zhang–Suen thinning (Zhang & Suen, CACM 1984): reduces a vessel mask to one-pixel-wide
 * centre lines with 8-connectivity, keeping the topology (branches and junctions).
 */
import type { BinaryMask } from '../binary-mask.ts';

export function skeletonize(mask: BinaryMask): BinaryMask {
  const { width, height } = mask;
  const img = new Uint8Array(mask.data);
  // The border row/column is cleared so neighbour reads never leave the image.
  for (let x = 0; x < width; x++) img[x] = img[(height - 1) * width + x] = 0;
  for (let y = 0; y < height; y++) img[y * width] = img[y * width + width - 1] = 0;
  const remove: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      remove.length = 0;
      for (let y = 1; y < height - 1; y++) {
        for (let x = 1; x < width - 1; x++) {
          const i = y * width + x;
          if (!img[i]) continue;
          // Neighbours P2..P9 clockwise from north.
          const p2 = img[i - width]!,
            p3 = img[i - width + 1]!,
            p4 = img[i + 1]!,
            p5 = img[i + width + 1]!;
          const p6 = img[i + width]!,
            p7 = img[i + width - 1]!,
            p8 = img[i - 1]!,
            p9 = img[i - width - 1]!;
          const b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
          if (b < 2 || b > 6) continue;
          const a =
            +(!p2 && p3) +
            +(!p3 && p4) +
            +(!p4 && p5) +
            +(!p5 && p6) +
            +(!p6 && p7) +
            +(!p7 && p8) +
            +(!p8 && p9) +
            +(!p9 && p2);
          if (a !== 1) continue;
          if (
            pass === 0
              ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0
              : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0
          )
            remove.push(i);
        }
      }
      for (const i of remove) img[i] = 0;
      if (remove.length) changed = true;
    }
  }
  return { width, height, data: img };
}

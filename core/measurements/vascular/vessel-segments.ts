/**
 * Splits a skeleton into vessel segments between junctions and ends, each an ordered
 * chain of pixels, so each can be measured on its own (as ROPtool and RISA measure
 * vessels one by one).
 */
import type { BinaryMask } from '../binary-mask.ts';

export interface VesselSegment {
  /** Pixel indices (y * width + x) from one end to the other. */
  pixels: number[];
}

const OFFSETS = [
  [-1, -1],
  [0, -1],
  [1, -1],
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
] as const;
const FOUR_FIRST = [
  OFFSETS[1],
  OFFSETS[3],
  OFFSETS[5],
  OFFSETS[7],
  OFFSETS[0],
  OFFSETS[2],
  OFFSETS[4],
  OFFSETS[6],
] as const;

/**
 * Crossing number: how many separate runs of skeleton pixels surround a pixel (1 at a
 * vessel's end, 2 along it, 3+ at a branch). Unlike a plain neighbour count it is not
 * fooled by the staircase corners thinning leaves on slanted and curved vessels.
 */
function crossingNumber(skeleton: BinaryMask, index: number): number {
  const { width, height, data } = skeleton;
  const x = index % width;
  const y = (index - x) / width;
  const at = (k: number) => {
    const [dx, dy] = OFFSETS[k % 8]!;
    const nx = x + dx;
    const ny = y + dy;
    return nx >= 0 && ny >= 0 && nx < width && ny < height && data[ny * width + nx] ? 1 : 0;
  };
  let runs = 0;
  for (let k = 0; k < 8; k++) if (!at(k) && at(k + 1)) runs++;
  return runs;
}

function neighbours(skeleton: BinaryMask, index: number): number[] {
  const { width, height, data } = skeleton;
  const x = index % width;
  const y = (index - x) / width;
  const out: number[] = [];
  // 4-connected neighbours first, so a walk passes through staircase corners instead of cutting them.
  for (const [dx, dy] of FOUR_FIRST) {
    const nx = x + dx;
    const ny = y + dy;
    if (nx >= 0 && ny >= 0 && nx < width && ny < height && data[ny * width + nx])
      out.push(ny * width + nx);
  }
  return out;
}

export function vesselSegments(skeleton: BinaryMask): VesselSegment[] {
  const { data } = skeleton;
  // Branch pixels are cut out; what remains are simple chains.
  const chain = new Uint8Array(data.length);
  const branch = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++)
    if (data[i] && crossingNumber(skeleton, i) >= 3) branch[i] = 1;
  // A branch's arms still touch each other diagonally next to it; pixels there that have
  // three or more neighbours go with the branch so the arms come apart.
  for (let i = 0; i < data.length; i++) {
    if (!data[i] || branch[i]) continue;
    const around = neighbours(skeleton, i);
    if (around.length >= 3 && around.some((n) => branch[n] === 1)) chain[i] = 2;
  }
  for (let i = 0; i < data.length; i++) chain[i] = data[i] && !branch[i] && chain[i] !== 2 ? 1 : 0;
  const chainMask: BinaryMask = { ...skeleton, data: chain };
  const visited = new Uint8Array(data.length);
  const segments: VesselSegment[] = [];
  const walk = (start: number) => {
    const pixels = [start];
    visited[start] = 1;
    let current = start;
    for (;;) {
      const next = neighbours(chainMask, current).find((n) => !visited[n]);
      if (next === undefined) break;
      visited[next] = 1;
      pixels.push(next);
      current = next;
    }
    return pixels;
  };
  // Start from chain ends first so each segment is traced end to end.
  for (let i = 0; i < chain.length; i++) {
    if (chain[i] && !visited[i] && crossingNumber(chainMask, i) <= 1)
      segments.push({ pixels: walk(i) });
  }
  for (let i = 0; i < chain.length; i++)
    if (chain[i] && !visited[i]) segments.push({ pixels: walk(i) }); // closed loops
  return segments;
}

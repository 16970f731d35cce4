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

/** The 8 neighbours clockwise from north-west, as (dx, dy). */
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
/** 4-connected neighbours first, so a walk passes through staircase corners instead of cutting them. */
const FOUR_FIRST = [1, 3, 5, 7, 0, 2, 4, 6].map((k) => OFFSETS[k]!);

/** Neighbour reads as index offsets, for pixels whose eight neighbours all lie inside the image. */
interface Neighbourhood {
  width: number;
  height: number;
  /** Index offsets of OFFSETS (clockwise) and of FOUR_FIRST (walk order). */
  clockwise: Int32Array;
  walkOrder: Int32Array;
}

function neighbourhood(width: number, height: number): Neighbourhood {
  return {
    width,
    height,
    clockwise: Int32Array.from(OFFSETS, ([dx, dy]) => dy * width + dx),
    walkOrder: Int32Array.from(FOUR_FIRST, ([dx, dy]) => dy * width + dx),
  };
}

/** Whether all 8 neighbours of the pixel lie inside the image. */
function interior(n: Neighbourhood, index: number): boolean {
  const x = index % n.width;
  const y = (index - x) / n.width;
  return x > 0 && y > 0 && x < n.width - 1 && y < n.height - 1;
}

/** The neighbour in direction (dx, dy), or -1 outside the image. */
function neighbourAt(n: Neighbourhood, index: number, dx: number, dy: number): number {
  const x = (index % n.width) + dx;
  const y = Math.floor(index / n.width) + dy;
  return x >= 0 && y >= 0 && x < n.width && y < n.height ? y * n.width + x : -1;
}

/** Foreground flags of the 8 neighbours, clockwise from north-west (0 outside the image). */
function ring(n: Neighbourhood, data: Uint8Array, index: number, out: Uint8Array): Uint8Array {
  if (interior(n, index)) {
    for (let k = 0; k < 8; k++) out[k] = data[index + n.clockwise[k]!] ? 1 : 0;
    return out;
  }
  for (let k = 0; k < 8; k++) {
    const j = neighbourAt(n, index, OFFSETS[k]![0], OFFSETS[k]![1]);
    out[k] = j >= 0 && data[j] ? 1 : 0;
  }
  return out;
}

/**
 * Crossing number: how many separate runs of skeleton pixels surround a pixel (1 at a
 * vessel's end, 2 along it, 3+ at a branch). Unlike a plain neighbour count it is not
 * fooled by the staircase corners thinning leaves on slanted and curved vessels.
 */
function crossingNumber(n: Neighbourhood, data: Uint8Array, index: number, at: Uint8Array): number {
  ring(n, data, index, at);
  let runs = 0;
  for (let k = 0; k < 8; k++) if (!at[k] && at[(k + 1) & 7]) runs++;
  return runs;
}

/** The first foreground neighbour in walk order for which `accept` holds, or -1. */
function firstNeighbour(
  n: Neighbourhood,
  data: Uint8Array,
  index: number,
  accept: (j: number) => boolean,
): number {
  const inside = interior(n, index);
  for (let k = 0; k < 8; k++) {
    const j = inside
      ? index + n.walkOrder[k]!
      : neighbourAt(n, index, FOUR_FIRST[k]![0], FOUR_FIRST[k]![1]);
    if (j >= 0 && data[j] && accept(j)) return j;
  }
  return -1;
}

/** Whether the pixel has three or more foreground neighbours, one of them a branch pixel. */
function besideBranch(
  n: Neighbourhood,
  data: Uint8Array,
  index: number,
  branch: Uint8Array,
  at: Uint8Array,
): boolean {
  ring(n, data, index, at);
  const inside = interior(n, index);
  let count = 0;
  let touchesBranch = false;
  for (let k = 0; k < 8; k++) {
    if (!at[k]) continue;
    count++;
    const j = inside
      ? index + n.clockwise[k]!
      : neighbourAt(n, index, OFFSETS[k]![0], OFFSETS[k]![1]);
    if (branch[j]) touchesBranch = true;
  }
  return count >= 3 && touchesBranch;
}

function foregroundPixels(data: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i]) count++;
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < data.length; i++) if (data[i]) out[k++] = i;
  return out;
}

export function vesselSegments(skeleton: BinaryMask): VesselSegment[] {
  const { width, height, data } = skeleton;
  const n = neighbourhood(width, height);
  const at = new Uint8Array(8);
  // Only skeleton pixels matter, and they are a few per cent of the image: list them once.
  const pixels = foregroundPixels(data);
  // Branch pixels are cut out; what remains are simple chains.
  const branch = new Uint8Array(data.length);
  for (const i of pixels) if (crossingNumber(n, data, i, at) >= 3) branch[i] = 1;
  // A branch's arms still touch each other diagonally next to it; pixels there that have
  // three or more neighbours go with the branch so the arms come apart.
  const chain = new Uint8Array(data.length);
  for (const i of pixels) {
    if (branch[i]) continue;
    chain[i] = besideBranch(n, data, i, branch, at) ? 0 : 1;
  }
  const visited = new Uint8Array(data.length);
  const unvisited = (j: number) => !visited[j];
  const walk = (start: number) => {
    const path = [start];
    visited[start] = 1;
    for (let current = start; ;) {
      const next = firstNeighbour(n, chain, current, unvisited);
      if (next < 0) break;
      visited[next] = 1;
      path.push(next);
      current = next;
    }
    return path;
  };
  const segments: VesselSegment[] = [];
  // Start from chain ends first so each segment is traced end to end.
  for (const i of pixels) {
    if (chain[i] && !visited[i] && crossingNumber(n, chain, i, at) <= 1)
      segments.push({ pixels: walk(i) });
  }
  for (const i of pixels) if (chain[i] && !visited[i]) segments.push({ pixels: walk(i) }); // closed loops
  return segments;
}

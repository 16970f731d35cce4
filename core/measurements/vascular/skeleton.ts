/**
 * Zhang–Suen thinning (Zhang & Suen, CACM 1984): reduces a vessel mask to one-pixel-wide
 * centre lines with 8-connectivity, keeping the topology (branches and junctions).
 *
 * Each sub-iteration decides every pixel on the image as it was at the start of that
 * sub-iteration, so the pixels may be examined in any order and only those that can change
 * need examining: a pixel with seven or eight foreground neighbours is never removed until a
 * neighbour is, one with fewer than two never is, and one that both kinds of sub-iteration
 * have kept is kept again until a neighbour is removed. Only the pixels on the thinning
 * front are kept in a list, and the pixels around each removed one join it; the result is
 * the same as scanning the whole image every time.
 */
import type { BinaryMask } from '../binary-mask.ts';

export function skeletonize(mask: BinaryMask): BinaryMask {
  const { width, height } = mask;
  const img = new Uint8Array(mask.data);
  // The border row/column is cleared so neighbour reads never leave the image.
  for (let x = 0; x < width; x++) img[x] = img[(height - 1) * width + x] = 0;
  for (let y = 0; y < height; y++) img[y * width] = img[y * width + width - 1] = 0;
  const state: FrontState = {
    listed: new Uint8Array(img.length),
    kept: new Uint8Array(img.length),
  };
  let front = thinningFront(img, width, height, state.listed);
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      const remove = removable(img, width, front, pass, state.kept);
      if (remove.length) {
        changed = true;
        for (let k = 0; k < remove.length; k++) img[remove[k]!] = 0;
      }
      front = nextFront(img, width, front, remove, state);
    }
  }
  return { width, height, data: img };
}

interface FrontState {
  /** 1 for pixels in the front list. */
  listed: Uint8Array;
  /** Per pixel, the kinds of sub-iteration (bit 1 << pass) that kept it since its neighbourhood last changed. */
  kept: Uint8Array;
}

/** Foreground pixels with 2 to 6 foreground neighbours: the only ones thinning can remove now. */
function thinningFront(img: Uint8Array, width: number, height: number, listed: Uint8Array) {
  const front: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let i = y * width + 1; i < y * width + width - 1; i++) {
      if (!img[i]) continue;
      const b = neighbourCount(img, width, i);
      if (b >= 2 && b <= 6) {
        front.push(i);
        listed[i] = 1;
      }
    }
  }
  return front;
}

function neighbourCount(img: Uint8Array, width: number, i: number): number {
  return (
    img[i - width]! +
    img[i - width + 1]! +
    img[i + 1]! +
    img[i + width + 1]! +
    img[i + width]! +
    img[i + width - 1]! +
    img[i - 1]! +
    img[i - width - 1]!
  );
}

/**
 * The front pixels this sub-iteration removes (pass 0: south-east boundary; 1: north-west);
 * the others are marked kept by this kind of sub-iteration.
 */
function removable(
  img: Uint8Array,
  width: number,
  front: number[],
  pass: number,
  kept: Uint8Array,
): number[] {
  const remove: number[] = [];
  for (let k = 0; k < front.length; k++) {
    const i = front[k]!;
    if (!isRemovable(img, width, i, pass)) kept[i]! |= 1 << pass;
    else remove.push(i);
  }
  return remove;
}

/** The Zhang–Suen conditions for removing pixel i in this kind of sub-iteration. */
function isRemovable(img: Uint8Array, width: number, i: number, pass: number): boolean {
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
  if (b < 2 || b > 6) return false;
  const a =
    +(!p2 && p3) +
    +(!p3 && p4) +
    +(!p4 && p5) +
    +(!p5 && p6) +
    +(!p6 && p7) +
    +(!p7 && p8) +
    +(!p8 && p9) +
    +(!p9 && p2);
  if (a !== 1) return false;
  return pass === 0
    ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0
    : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0;
}

/**
 * The front after removing `removed`: the pixels still there that can yet be removed (at
 * least two neighbours, and not yet kept by both kinds of sub-iteration), and the
 * foreground neighbours of each removed pixel, whose neighbourhood has just changed.
 */
function nextFront(
  img: Uint8Array,
  width: number,
  front: number[],
  removed: number[],
  state: FrontState,
): number[] {
  const { listed, kept } = state;
  const next: number[] = [];
  for (let k = 0; k < front.length; k++) {
    const i = front[k]!;
    if (img[i] && kept[i] !== 3 && neighbourCount(img, width, i) >= 2) next.push(i);
    else listed[i] = 0;
  }
  const around = [-width - 1, -width, -width + 1, -1, 1, width - 1, width, width + 1];
  for (let k = 0; k < removed.length; k++) {
    for (const offset of around) {
      const n = removed[k]! + offset;
      if (!img[n]) continue;
      kept[n] = 0;
      if (!listed[n]) {
        listed[n] = 1;
        next.push(n);
      }
    }
  }
  return next;
}

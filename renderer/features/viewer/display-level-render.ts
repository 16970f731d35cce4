/**
 * Draws a grey image through cornerstone's render hook (Image.render) at the resolution it
 * is shown (core/imaging/display-levels.ts). cornerstone's own grey renderer maps every
 * stored pixel through the display table and uploads the full-resolution canvas on each
 * window/level change: 3.6 million pixels per frame on the largest film, which held a drag
 * at 33–40 frames/s on a 2-core machine. The display table is still cornerstone's
 * (generateLut: rescale, the VOI LUT the viewport carries, inversion), so the grey values
 * are the ones cornerstone computes; geometry (zoom, pan, rotation, flips, displayed area)
 * is cornerstone's transform.
 */
import * as cornerstone from 'cornerstone-core';
import {
  averageBlocks,
  levelFactorFor,
  opaqueGreyWords,
  paintGreyPixels,
  type GreyPixels,
} from '../../../core/imaging/display-levels.ts';

type RenderHook = (enabledElement: cornerstone.EnabledElement, invalidated: boolean) => void;

/** What the display table depends on: a new table only when one of these changes. */
interface TableInputs {
  windowWidth?: number;
  windowCenter?: number;
  invert?: boolean;
  voiLUT?: cornerstone.LUT;
  modalityLUT?: cornerstone.LUT;
}

/** The level canvas last painted for one element, and what it was painted from. */
interface PaintedLevel {
  canvas: HTMLCanvasElement;
  context: CanvasRenderingContext2D;
  pixels?: ImageData;
  image?: cornerstone.Image;
  factor?: number;
  table?: TableInputs;
  words?: Uint32Array;
}

/** cornerstone keeps per-element render state in renderingTools; ours sits beside its own. */
interface RenderingTools {
  displayLevel?: PaintedLevel;
  lastRenderedImageId?: string;
}

const tableInputs = (viewport: cornerstone.Viewport): TableInputs => ({
  windowWidth: viewport.voi?.windowWidth,
  windowCenter: viewport.voi?.windowCenter,
  invert: viewport.invert,
  voiLUT: viewport.voiLUT,
  modalityLUT: viewport.modalityLUT,
});

const sameTable = (a: TableInputs | undefined, b: TableInputs) =>
  a !== undefined &&
  a.windowWidth === b.windowWidth &&
  a.windowCenter === b.windowCenter &&
  a.invert === b.invert &&
  a.voiLUT === b.voiLUT &&
  a.modalityLUT === b.modalityLUT;

/** Screen pixels one image pixel covers, along whichever image axis is shown larger. */
function screenPixelsPerImagePixel(enabledElement: cornerstone.EnabledElement): number {
  const [a, b, c, d] = cornerstone.internal.getTransform(enabledElement).m as number[];
  return Math.max(Math.hypot(a!, b!), Math.hypot(c!, d!));
}

function paintedLevelOf(enabledElement: cornerstone.EnabledElement): PaintedLevel {
  const tools = (enabledElement as unknown as { renderingTools: RenderingTools }).renderingTools;
  // Our canvas is not cornerstone's render canvas: make its colour renderer start afresh
  // rather than trust a cache of what it last drew.
  tools.lastRenderedImageId = undefined;
  if (!tools.displayLevel) {
    const canvas = document.createElement('canvas');
    tools.displayLevel = { canvas, context: canvas.getContext('2d')! };
  }
  return tools.displayLevel;
}

/** Display words for the viewport's window, reused while the window stays the same. */
function displayWords(painted: PaintedLevel, image: cornerstone.Image, table: TableInputs) {
  if (painted.words && painted.image === image && sameTable(painted.table, table))
    return painted.words;
  const lut = cornerstone.generateLut(
    image,
    table.windowWidth!,
    table.windowCenter!,
    Boolean(table.invert),
    table.modalityLUT as unknown as unknown[],
    table.voiLUT as unknown as unknown[],
  );
  return opaqueGreyWords(lut);
}

function paintLevel(
  painted: PaintedLevel,
  image: cornerstone.Image,
  level: GreyPixels,
  factor: number,
  table: TableInputs,
): void {
  const stats = (image.stats ??= {});
  let started = performance.now();
  painted.words = displayWords(painted, image, table);
  stats.lastLutGenerateTime = performance.now() - started;
  const { canvas, context } = painted;
  if (canvas.width !== level.width || canvas.height !== level.height || !painted.pixels) {
    canvas.width = level.width;
    canvas.height = level.height;
    painted.pixels = context.createImageData(level.width, level.height);
  }
  started = performance.now();
  const offset = Math.min(image.minPixelValue, 0);
  paintGreyPixels(level, painted.words, offset, new Uint32Array(painted.pixels.data.buffer));
  stats.lastStoredPixelDataToCanvasImageDataTime = performance.now() - started;
  started = performance.now();
  context.putImageData(painted.pixels, 0, 0);
  stats.lastPutImageDataTime = performance.now() - started;
  Object.assign(painted, { image, factor, table });
}

interface DisplayedArea {
  tlhc: { x: number; y: number };
  brhc: { x: number; y: number };
}

/** cornerstone's displayed area (1-based corners), the whole image unless the viewport sets one. */
function displayedArea(image: cornerstone.Image, viewport: cornerstone.Viewport) {
  const area = (viewport as { displayedArea?: DisplayedArea }).displayedArea;
  const x = (area?.tlhc.x ?? 1) - 1;
  const y = (area?.tlhc.y ?? 1) - 1;
  return {
    x,
    y,
    width: (area?.brhc.x ?? image.width) - x,
    height: (area?.brhc.y ?? image.height) - y,
  };
}

/** A render hook for one grey image, keeping its display levels as they are first needed. */
export function displayLevelRenderer(full: GreyPixels): RenderHook {
  const levels = new Map<number, GreyPixels>([[1, full]]);
  const levelFor = (factor: number) => {
    let level = levels.get(factor);
    if (!level) levels.set(factor, (level = averageBlocks(full, factor)));
    return level;
  };
  return (enabledElement, invalidated) => {
    const { canvas, image, viewport } = enabledElement as Required<cornerstone.EnabledElement>;
    const context = canvas.getContext('2d', { desynchronized: true })!;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = 'black';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.imageSmoothingEnabled = !viewport.pixelReplication;
    cornerstone.setToPixelCoordinateSystem(enabledElement, context);

    const factor = levelFactorFor(screenPixelsPerImagePixel(enabledElement));
    const painted = paintedLevelOf(enabledElement);
    const table = tableInputs(viewport);
    const current =
      !invalidated &&
      painted.image === image &&
      painted.factor === factor &&
      sameTable(painted.table, table);
    if (!current) paintLevel(painted, image, levelFor(factor), factor, table);

    const area = displayedArea(image, viewport);
    context.drawImage(
      painted.canvas,
      area.x / factor,
      area.y / factor,
      area.width / factor,
      area.height / factor,
      area.x,
      area.y,
      area.width,
      area.height,
    );
  };
}

/** Gives a grey cornerstone image the display-level renderer; colour images keep cornerstone's. */
export function drawnAtDisplayResolution(image: cornerstone.Image): cornerstone.Image {
  if (image.color) return image;
  const render = displayLevelRenderer({
    data: image.getPixelData(),
    width: image.width,
    height: image.height,
  });
  return Object.assign(image, { render });
}

/**
 * Frames cornerstone draws per second while the mouse drags window/level over a viewport
 * for two seconds (mouse moves as fast as Playwright sends them).
 */
import type { Page } from 'playwright-core';

/**
 * Drags with the left button over the viewport's centre for `durationMs`, moving as fast as
 * Playwright sends moves; answers how long it took and how many moves were sent.
 */
export async function dragOver(
  page: Page,
  testId: string,
  durationMs: number,
): Promise<{ seconds: number; moves: number }> {
  const box = (await page.getByTestId(testId).boundingBox())!;
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down();
  const started = Date.now();
  let moves = 0;
  while (Date.now() - started < durationMs)
    await page.mouse.move(centre.x + (moves % 40) - 20, centre.y + ((moves++ % 30) - 15));
  await page.mouse.up();
  return { seconds: (Date.now() - started) / 1000, moves };
}

export async function dragFrameRate(
  page: Page,
  testId: string,
  durationMs = 2000,
): Promise<{ framesPerSecond: number; seconds: number; moves: number }> {
  await page.evaluate((testId) => {
    const counter = window as unknown as { drawn: number; countFrame?: () => void };
    counter.drawn = 0;
    counter.countFrame = () => counter.drawn++;
    document
      .querySelector(`[data-testid="${testId}"]`)!
      .addEventListener('cornerstoneimagerendered', counter.countFrame);
  }, testId);
  const { seconds, moves } = await dragOver(page, testId, durationMs);
  const drawn = await page.evaluate((testId) => {
    const counter = window as unknown as { drawn: number; countFrame: () => void };
    document
      .querySelector(`[data-testid="${testId}"]`)!
      .removeEventListener('cornerstoneimagerendered', counter.countFrame);
    return counter.drawn;
  }, testId);
  return { framesPerSecond: drawn / seconds, seconds, moves };
}

/**
 * Decoded frames kept for quick re-display, least recently used first out, bounded by
 * bytes so a long reading session cannot exhaust memory.
 */
import type { DecodedFrame } from '../base/schemas.ts';

export class FrameCache {
  private readonly frames = new Map<string, DecodedFrame>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  private static key(instanceId: string, frame: number): string {
    return `${instanceId}/${frame}`;
  }

  get(instanceId: string, frame: number): DecodedFrame | undefined {
    const key = FrameCache.key(instanceId, frame);
    const hit = this.frames.get(key);
    if (hit) {
      this.frames.delete(key);
      this.frames.set(key, hit); // most recently used last
    }
    return hit;
  }

  set(frame: DecodedFrame): void {
    const key = FrameCache.key(frame.instanceId, frame.frame);
    const size = frame.pixels.byteLength;
    if (size > this.maxBytes) return;
    const old = this.frames.get(key);
    if (old) {
      this.bytes -= old.pixels.byteLength;
      this.frames.delete(key);
    }
    this.frames.set(key, frame);
    this.bytes += size;
    for (const [oldest, value] of this.frames) {
      if (this.bytes <= this.maxBytes) break;
      this.frames.delete(oldest);
      this.bytes -= value.pixels.byteLength;
    }
  }

  get sizeInBytes(): number {
    return this.bytes;
  }
}

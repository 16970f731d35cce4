/** A small rendering of an image (the file's default display), for the layouts' image strips. */
import { useEffect, useRef } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { displayBytes } from '../../../core/imaging/frame-display.ts';
import { useApi } from '../../api/ApiProvider.tsx';

const WIDTH = 88;

export function Thumbnail({
  instance,
  label,
  selected,
  onSelect,
}: {
  instance: InstanceSummary;
  label: string;
  selected: boolean;
  onSelect(): void;
}) {
  const api = useApi();
  const canvas = useRef<HTMLCanvasElement>(null);
  const height = Math.max(1, Math.round((WIDTH * instance.rows) / Math.max(1, instance.columns)));
  useEffect(() => {
    let cancelled = false;
    api.call('image.frame', { instanceId: instance.instanceId, frame: 0 }).then(
      (frame) => {
        const target = canvas.current?.getContext('2d');
        if (cancelled || !target) return;
        const { channels, data } = displayBytes(frame);
        const full = new ImageData(frame.columns, frame.rows);
        for (let i = 0, j = 0; i < frame.columns * frame.rows; i++, j += channels)
          full.data.set(
            channels === 3
              ? [data[j]!, data[j + 1]!, data[j + 2]!, 255]
              : [data[j]!, data[j]!, data[j]!, 255],
            i * 4,
          );
        const source = document.createElement('canvas');
        source.width = frame.columns;
        source.height = frame.rows;
        source.getContext('2d')!.putImageData(full, 0, 0);
        target.drawImage(source, 0, 0, WIDTH, height);
      },
      () => undefined, // the strip still shows the label; the viewport reports decode errors
    );
    return () => {
      cancelled = true;
    };
  }, [api, instance.instanceId, height]);
  return (
    <button
      type="button"
      className={`thumbnail${selected ? ' selected' : ''}`}
      onClick={onSelect}
      title={instance.fileName}
      data-instance-id={instance.instanceId}
    >
      <canvas ref={canvas} width={WIDTH} height={height} />
      <span>{label}</span>
    </button>
  );
}

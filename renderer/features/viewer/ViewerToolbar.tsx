/** The viewport's toolbar: window presets, one button per measurement tool of the image's domain, the loupe, the live reading, Save. */
import type { ReactNode } from 'react';
import type { Measurements } from './use-measurements.ts';

export interface ViewerToolbarProps {
  measurements: Measurements;
  chest: boolean;
  magnifier: boolean;
  onMagnifier(): void;
  /** Window presets of a grey image (none for colour), the one shown, and choosing one ('' = the file's default). */
  presets: string[];
  preset?: string;
  onPreset(name: string): void;
  extra?: ReactNode;
  testId: string;
}

export function ViewerToolbar({
  measurements: m,
  chest,
  magnifier,
  onMagnifier,
  presets,
  preset,
  onPreset,
  extra,
  testId,
}: ViewerToolbarProps) {
  return (
    <div className="viewer-tools">
      {presets.length ? (
        <select
          aria-label="Window preset"
          value={preset ?? ''}
          onChange={(e) => onPreset(e.target.value)}
          title="Window presets (W)"
        >
          <option value="">file window</option>
          {presets.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      ) : null}
      {m.tools.map((t) => (
        <button
          key={t.kind}
          type="button"
          aria-pressed={m.kind === t.kind}
          onClick={() => m.toggle(t.kind)}
          title={`${t.name}: ${t.steps.join(', then ')} (${t.key.toUpperCase()})`}
        >
          {t.name}
        </button>
      ))}
      <button type="button" aria-pressed={magnifier} onClick={onMagnifier} title="Magnifier (M)">
        Loupe
      </button>
      {m.kind === 'ctr' && chest ? (
        <button
          type="button"
          onClick={() => void m.ctrFromModel()}
          title="Start from the lung model's estimate"
        >
          From lung model
        </button>
      ) : null}
      {m.current ? (
        <span
          className="tool-readout"
          data-testid={`${testId}-tool-readout`}
          data-kind={m.current.kind}
          title={m.source}
        >
          {m.prompt}
          {m.reading && m.source ? ` · ${m.source}` : ''}
        </span>
      ) : null}
      {m.complete && m.reading ? (
        <button
          type="button"
          onClick={() => void m.save()}
          title="Save this measurement with the study (S)"
        >
          Save
        </button>
      ) : null}
      {extra}
    </div>
  );
}

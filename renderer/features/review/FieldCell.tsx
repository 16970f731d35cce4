/**
 * One field's cell: the reader's input, with the AI value (model, version, hash prefix,
 * confidence) and an Accept button under it when a model gave one, and whether the reader
 * accepted or corrected it.
 */
import type { FieldEntry, FieldSpec, FieldValue } from './review-types.ts';

export function FieldCell({
  spec,
  entry,
  signed,
  label,
  onChange,
}: {
  spec: FieldSpec;
  entry: FieldEntry;
  signed: boolean;
  /** The accessible name: the field's label, with the eye for ROP ("OD Zone"). */
  label: string;
  onChange(value: FieldValue): void;
}) {
  return (
    <td className="field-cell" data-field={spec.name}>
      <ReaderInput
        spec={spec}
        label={label}
        value={entry.reader}
        disabled={signed}
        onChange={onChange}
      />
      {entry.ai ? (
        <div className="ai-value">
          AI{' '}
          <strong>
            {spec.kind === 'number' && typeof entry.ai.value === 'number'
              ? entry.ai.value.toFixed(spec.decimals)
              : String(entry.ai.value)}
          </strong>
          {entry.ai.confidence !== undefined ? ` (${(entry.ai.confidence * 100).toFixed(0)}%)` : ''}
          <span
            className="meta"
            title={`${entry.ai.model.id} ${entry.ai.model.version}, sha256 ${entry.ai.model.sha256}`}
          >
            {' '}
            {entry.ai.model.id} {entry.ai.model.version} · {entry.ai.model.sha256.slice(0, 8)}
          </span>
          {entry.ai.outsideIntendedUse || entry.ai.intendedUseNotConfirmed ? (
            <span
              className="meta intended-use"
              title={entry.ai.outsideIntendedUse ?? entry.ai.intendedUseNotConfirmed}
            >
              {entry.ai.outsideIntendedUse
                ? ' · outside intended use'
                : ' · intended use not confirmed'}
            </span>
          ) : null}
          {!signed ? (
            <button type="button" onClick={() => onChange(entry.ai!.value)}>
              Accept
            </button>
          ) : null}
          {entry.reader !== null ? (
            <span className="meta verdict">
              {String(entry.ai.value) === String(entry.reader) ? ' accepted' : ' corrected'}
            </span>
          ) : null}
        </div>
      ) : null}
    </td>
  );
}

function ReaderInput({
  spec,
  label,
  value,
  disabled,
  onChange,
}: {
  spec: FieldSpec;
  label: string;
  value: FieldValue;
  disabled: boolean;
  onChange(value: FieldValue): void;
}) {
  if (spec.kind === 'choice') {
    return (
      <select
        aria-label={label}
        value={value === null ? '' : String(value)}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">—</option>
        {spec.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      aria-label={label}
      type="number"
      min={spec.min}
      max={spec.max}
      step={10 ** -spec.decimals}
      defaultValue={value === null ? '' : String(value)}
      key={String(value)}
      disabled={disabled}
      onBlur={(e) => {
        const text = e.target.value.trim();
        const next = text === '' ? null : Number(text);
        if (next !== value) onChange(next);
      }}
    />
  );
}

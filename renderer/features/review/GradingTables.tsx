/**
 * The grading form: for a chest film one column of fields; for an ROP visit the OD and OS
 * sections side by side (one row per ICROP3 field, the eye named in every column header and
 * every input's name), with "same as other eye" buttons that copy a section.
 */
import { FieldCell } from './FieldCell.tsx';
import type { Draft, FieldSpec, FieldValue } from './review-types.ts';

type Set = (field: string, value: FieldValue) => void;

function entryOf(draft: Draft, spec: FieldSpec) {
  return (
    draft.content.fields.find((f) => f.field === spec.name) ?? { field: spec.name, reader: null }
  );
}

export function FieldTable({
  draft,
  specs,
  signed,
  set,
}: {
  draft: Draft;
  specs: FieldSpec[];
  signed: boolean;
  set: Set;
}) {
  return (
    <table className="grading">
      <tbody>
        {specs.map((spec) => (
          <tr key={spec.name} data-field={spec.name}>
            <th scope="row">{spec.label}</th>
            <FieldCell
              spec={spec}
              entry={entryOf(draft, spec)}
              signed={signed}
              label={spec.label}
              onChange={(v) => set(spec.name, v)}
            />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EyeTable({
  draft,
  signed,
  set,
  copy,
}: {
  draft: Draft;
  signed: boolean;
  set: Set;
  copy(from: 'OD' | 'OS'): void;
}) {
  const od = draft.form.filter((f) => f.eye === 'OD');
  const images = draft.content.instanceIds.length;
  return (
    <table className="grading eyes" data-images={images}>
      <thead>
        <tr>
          <th scope="col">ICROP3</th>
          <th scope="col" className="eye-head">
            OD (right eye)
            {!signed ? (
              <button type="button" title="Copy the OS entries into OD" onClick={() => copy('OS')}>
                = OS
              </button>
            ) : null}
          </th>
          <th scope="col" className="eye-head">
            OS (left eye)
            {!signed ? (
              <button type="button" title="Copy the OD entries into OS" onClick={() => copy('OD')}>
                = OD
              </button>
            ) : null}
          </th>
        </tr>
      </thead>
      <tbody>
        {od.map((odSpec) => {
          const key = odSpec.name.slice(3);
          const osSpec = draft.form.find((f) => f.name === `os_${key}`)!;
          return (
            <tr key={key} data-key={key}>
              <th scope="row">{odSpec.label}</th>
              {[odSpec, osSpec].map((spec) => (
                <FieldCell
                  key={spec.name}
                  spec={spec}
                  entry={entryOf(draft, spec)}
                  signed={signed}
                  label={`${spec.eye} ${spec.label}`}
                  onChange={(v) => set(spec.name, v)}
                />
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

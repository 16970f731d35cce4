/**
 * This site's public key and fingerprint, each with a Copy button: the key goes to a partner
 * site (by e-mail or on a stick) for them to add, the fingerprint is read out by phone so
 * both sides know the key was not swapped on the way.
 */
import { useRef, useState } from 'react';

/** The clipboard API where the page may use it, else the selected field and the copy command. */
async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.select();
    return document.execCommand('copy');
  }
}

function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const field = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<string>();
  return (
    <div className="copy-field">
      <label>
        {label}{' '}
        <input
          ref={field}
          readOnly
          value={value}
          data-testid={testId}
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <button
        type="button"
        aria-label={`Copy ${label.toLowerCase()}`}
        onClick={() =>
          void copyText(value, field.current).then((ok) =>
            setState(ok ? 'copied' : 'select the text and copy it'),
          )
        }
      >
        Copy
      </button>
      {state ? (
        <span className="hint" role="status">
          {state}
        </span>
      ) : null}
    </div>
  );
}

export function SiteKeyShare({
  publicKey,
  fingerprint,
}: {
  publicKey: string;
  fingerprint: string;
}) {
  return (
    <div className="site-key-share">
      <CopyField label="Public key" value={publicKey} testId="site-public-key" />
      <CopyField label="Fingerprint" value={fingerprint} testId="site-fingerprint-copy" />
    </div>
  );
}

/**
 * The chest reading layout: the film, and with P (or the Compare button) the infant's
 * previous film beside it, each labelled with its date and PMA. Each pane has its own
 * window/level and measurements; the clicked pane takes the keyboard.
 */
import { useEffect, useState } from 'react';
import { isTyping } from '../viewer/view-keys.ts';
import { Viewport } from '../viewer/Viewport.tsx';
import { priorChestFilm } from './exam-groups.ts';
import { dateAndPma, type LayoutProps } from './layout-props.ts';

export function ChestLayout(props: LayoutProps) {
  const { open, instances, exams } = props;
  const prior = priorChestFilm(open, instances);
  const [compare, setCompare] = useState(false);
  const [active, setActive] = useState<'current' | 'prior'>('current');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'p' || e.key === 'P') && !isTyping(e.target) && !e.ctrlKey && !e.metaKey)
        setCompare((c) => !c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => setActive('current'), [open.instanceId]);

  const comparing = compare && prior;
  const compareButton = (
    <button
      type="button"
      aria-pressed={Boolean(comparing)}
      disabled={!prior}
      onClick={() => setCompare((c) => !c)}
      title={
        prior
          ? 'Show the previous film beside this one (P)'
          : 'No earlier film of this infant in the library'
      }
    >
      Compare with prior
    </button>
  );
  return (
    <div
      className={`layout chest-layout${comparing ? ' comparing' : ''}`}
      data-testid="chest-layout"
    >
      <Viewport
        instance={open}
        onError={props.onError}
        onReportChanged={props.onReportChanged}
        active={active === 'current'}
        onActivate={() => setActive('current')}
        caption={`${comparing ? 'current · ' : ''}${dateAndPma(open, exams)}`}
        overlay={props.overlayFor(open.instanceId)}
        overlayDisplay={props.overlayDisplay}
        highlight={props.highlight}
        toolbarExtra={compareButton}
      />
      {comparing ? (
        <Viewport
          instance={prior}
          onError={props.onError}
          onReportChanged={props.onReportChanged}
          active={active === 'prior'}
          onActivate={() => setActive('prior')}
          caption={`prior · ${dateAndPma(prior, exams)}`}
          testId="viewport-prior"
        />
      ) : null}
    </div>
  );
}

/**
 * Picks the layout for the open image: the AI map beside the original when the reader asks
 * for side by side, the retina layout for a fundus image with an eye, the chest layout for
 * a chest film, else a single viewport.
 */
import { useMemo, useState } from 'react';
import { Viewport } from '../viewer/Viewport.tsx';
import { ChestLayout } from './ChestLayout.tsx';
import { eyeOf } from './exam-groups.ts';
import { dateAndPma, type LayoutProps } from './layout-props.ts';
import { RetinaLayout } from './RetinaLayout.tsx';

export function ViewerArea(props: LayoutProps & { sideBySide: boolean }) {
  const { open, exams, sideBySide } = props;
  const [active, setActive] = useState<'original' | 'overlay'>('overlay');
  const map = props.overlayFor(open.instanceId);
  // A new object each render would make the viewport render the map again.
  const shownOverlay = useMemo(
    () => ({ ...props.overlayDisplay, visible: true }),
    [props.overlayDisplay],
  );
  if (sideBySide && map) {
    return (
      <div className="layout side-by-side" data-testid="side-by-side-layout">
        <Viewport
          instance={open}
          onError={props.onError}
          onReportChanged={props.onReportChanged}
          view={props.colourView}
          active={active === 'original'}
          onActivate={() => setActive('original')}
          caption={`original · ${dateAndPma(open, exams)}`}
          testId="viewport-original"
        />
        <Viewport
          instance={open}
          onError={props.onError}
          onReportChanged={props.onReportChanged}
          view={props.colourView}
          active={active === 'overlay'}
          onActivate={() => setActive('overlay')}
          caption="with AI overlay"
          overlay={map}
          overlayDisplay={shownOverlay}
          highlight={props.highlight}
        />
      </div>
    );
  }
  if (open.domain === 'retina' && eyeOf(open)) return <RetinaLayout {...props} />;
  if (open.domain === 'chest') return <ChestLayout {...props} />;
  return (
    <div className="layout">
      <Viewport
        instance={open}
        onError={props.onError}
        onReportChanged={props.onReportChanged}
        view={props.colourView}
        caption={dateAndPma(open, exams)}
        overlay={map}
        overlayDisplay={props.overlayDisplay}
        highlight={props.highlight}
      />
    </div>
  );
}
